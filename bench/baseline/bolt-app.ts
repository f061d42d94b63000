/**
 * The baseline beside Tandem in bench/ack.ts: the smallest Bolt app that does what Tandem does for `/leadfeedback`
 * without a lead named: ack, then `views.open`. Bolt's defaults throughout (HTTPReceiver, ack before the listener
 * finishes), so the difference to Tandem is Tandem's own work: middleware, metrics, logging, its Web API client.
 *
 *   SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… SLACK_API_URL=… PORT=… npx tsx bench/baseline/bolt-app.ts
 */
import { App, LogLevel } from '@slack/bolt';
import { feedbackModal } from '../../src/features/feedback/blocks.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const app = new App({
  token: env('SLACK_BOT_TOKEN'),
  signingSecret: env('SLACK_SIGNING_SECRET'),
  clientOptions: { slackApiUrl: env('SLACK_API_URL') },
  logLevel: LogLevel.WARN,
});

app.command('/leadfeedback', async ({ ack, command, client }) => {
  await ack();
  await client.views.open({
    trigger_id: command.trigger_id,
    // Tandem's own modal, a pure function of its input: both apps send Slack the same bytes.
    view: feedbackModal({ metadata: { responseUrl: command.response_url } }),
  });
});

await app.start(Number(env('PORT')));
process.once('SIGTERM', () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
