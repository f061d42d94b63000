import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { requestLogger } from '../../slack/app.js';
import { homeView } from './blocks.js';
import {
  campaignQuality,
  HOME_PENDING_LIMIT,
  latestFeedbackOnCampaignsOf,
  pendingHandoffsOf,
  recentFeedbackBy,
} from './queries.js';

const QUALITY_DAYS = 30;

/** Reads what `userId`'s Home shows and publishes it. Also usable to refresh Home after they acted on it. */
export async function publishHome(
  { db, slack }: Pick<Deps, 'db' | 'slack'>,
  userId: string,
  now = new Date(),
  /** Where the list of pending handoffs starts (the Home tab's page buttons). */
  offset = 0,
) {
  const since = new Date(now.getTime() - QUALITY_DAYS * 86_400_000);
  const [pending, myFeedback, quality, campaigns] = await Promise.all([
    pendingHandoffsOf(db, userId, HOME_PENDING_LIMIT, offset),
    recentFeedbackBy(db, userId),
    campaignQuality(db, since),
    campaignQuality(db, since, { ownerSlackUserId: userId }),
  ]);
  const marketer =
    campaigns.total > 0 ? { campaigns, feedback: await latestFeedbackOnCampaignsOf(db, userId) } : undefined;
  const view = homeView({
    userId,
    now,
    pending: { ...pending, offset },
    myFeedback,
    quality,
    qualityDays: QUALITY_DAYS,
    marketer,
  });
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

/** The Home tab's Older / Newer buttons: the same Home, another page of pending handoffs. */
export function pendingPage(deps: Deps) {
  return async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const offset = Number.parseInt(action.value ?? '0', 10);
    await publishHome(deps, body.user.id, new Date(), Number.isSafeInteger(offset) && offset > 0 ? offset : 0);
  };
}
