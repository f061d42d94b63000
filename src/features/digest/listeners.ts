import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { weeklyDigestMessage } from './digest.js';

/** `/digest`: ack at once, then show the caller the last 7 days privately through the command's response_url. */
export function showDigest({ db, config }: Pick<Deps, 'db' | 'config'>) {
  return async ({ ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const message = await weeklyDigestMessage(db, new Date(), config);
    await respond({ response_type: 'ephemeral', replace_original: false, ...message });
  };
}
