import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { requestLogger } from '../../slack/app.js';
import { homeView } from './blocks.js';
import { campaignQuality, latestFeedbackOnCampaignsOf, pendingHandoffsOf, recentFeedbackBy } from './queries.js';

const QUALITY_DAYS = 30;

/** Reads what `userId`'s Home shows and publishes it. Also usable to refresh Home after they acted on it. */
export async function publishHome({ db, slack }: Pick<Deps, 'db' | 'slack'>, userId: string, now = new Date()) {
  const since = new Date(now.getTime() - QUALITY_DAYS * 86_400_000);
  const [pending, myFeedback, quality, campaigns] = await Promise.all([
    pendingHandoffsOf(db, userId),
    recentFeedbackBy(db, userId),
    campaignQuality(db, since),
    campaignQuality(db, since, { ownerSlackUserId: userId }),
  ]);
  const marketer =
    campaigns.total > 0 ? { campaigns, feedback: await latestFeedbackOnCampaignsOf(db, userId) } : undefined;
  const view = homeView({ userId, now, pending, myFeedback, quality, qualityDays: QUALITY_DAYS, marketer });
  await slack.interactive.views.publish({ user_id: userId, view });
}

/** `app_home_opened`: Bolt acks events itself; errors reach app.error(). The Messages tab is not ours. */
export function homeOpened(deps: Deps) {
  return async ({ event, context }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== 'home') return;
    await publishHome(deps, event.user);
    requestLogger(context).debug({ user: event.user }, 'home published');
  };
}
