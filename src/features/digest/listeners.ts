import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { digestRefusal } from './blocks.js';
import { chartImageBlock, uploadPrivately, weeklyChart } from './chart-post.js';
import { weeklyDigestMessage } from './record.js';

/**
 * `/digest`: ack at once, check the caller may see company revenue (DIGEST_VIEWERS), then show them the last 7
 * days privately through the command's response_url, and after it the 8-week chart (drawn and uploaded meanwhile;
 * if that fails the text has already been shown).
 */
export function showDigest({ db, config, slack, access }: Pick<Deps, 'db' | 'config' | 'slack' | 'access'>) {
  return async ({ ack, respond, command, logger }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const viewers = config.access.digestViewers;
    if (!(await access.allows(viewers, command.user_id))) {
      await respond({ response_type: 'ephemeral', text: digestRefusal(viewers ?? []) });
      return;
    }
    const now = new Date();
    const message = await weeklyDigestMessage(db, now, config);
    await respond({ response_type: 'ephemeral', replace_original: false, ...message });
    try {
      const chart = await weeklyChart(db, now, config);
      const blocks = [chartImageBlock(await uploadPrivately(slack.interactive, chart), chart)];
      await respond({ response_type: 'ephemeral', replace_original: false, text: chart.altText, blocks });
    } catch (err) {
      logger.error({ err }, 'the /digest chart could not be shown');
    }
  };
}
