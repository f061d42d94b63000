import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { requestLogger } from '../../slack/app.js';
import { uploadPrivately, weeklyChart } from '../digest/chart-post.js';
import { homeView, type ManagerInput } from './blocks.js';
import {
  campaignQuality,
  HOME_PENDING_LIMIT,
  latestDigestChart,
  latestFeedbackOnCampaignsOf,
  pendingHandoffsOf,
  recentFeedbackBy,
} from './queries.js';

const QUALITY_DAYS = 30;
/** The managers' ranking spans the chart's 8 weeks. */
const MANAGER_DAYS = 56;

/** Who sees the managers' part of Home: SALES_MANAGER_USER_ID and TANDEM_ADMINS. */
export function isManager(config: Deps['config'], userId: string): boolean {
  return userId === config.salesManagerUserId || (config.admins ?? []).includes(userId);
}

/**
 * The managers' part: the latest weekly chart Slack has; before the first weekly digest, one drawn and uploaded
 * now (privately). A chart that cannot be had leaves a note, never an unpublished Home.
 */
async function managerInput(deps: Pick<Deps, 'db' | 'slack' | 'config' | 'logger'>, now: Date): Promise<ManagerInput> {
  const ranked = await campaignQuality(deps.db, new Date(now.getTime() - MANAGER_DAYS * 86_400_000), {
    rank: 'quality',
  });
  let chart = await latestDigestChart(deps.db);
  if (!chart) {
    try {
      const drawn = await weeklyChart(deps.db, now, deps.config);
      chart = { fileId: await uploadPrivately(deps.slack.interactive, drawn), altText: drawn.altText };
    } catch (err) {
      deps.logger.error({ err }, 'the managers’ Home chart could not be drawn');
    }
  }
  return { chart, ranked, days: MANAGER_DAYS };
}

/** Reads what `userId`'s Home shows and publishes it. Also usable to refresh Home after they acted on it. */
export async function publishHome(
  deps: Pick<Deps, 'db' | 'slack' | 'config' | 'logger'>,
  userId: string,
  now = new Date(),
  /** Where the list of pending handoffs starts (the Home tab's page buttons). */
  offset = 0,
) {
  const { db, slack } = deps;
  const since = new Date(now.getTime() - QUALITY_DAYS * 86_400_000);
  const [pending, myFeedback, quality, campaigns] = await Promise.all([
    pendingHandoffsOf(db, userId, HOME_PENDING_LIMIT, offset),
    recentFeedbackBy(db, userId),
    campaignQuality(db, since),
    campaignQuality(db, since, { ownerSlackUserId: userId }),
  ]);
  const marketer =
    campaigns.total > 0 ? { campaigns, feedback: await latestFeedbackOnCampaignsOf(db, userId) } : undefined;
  const manager = isManager(deps.config, userId) ? await managerInput(deps, now) : undefined;
  const view = homeView({
    userId,
    now,
    pending: { ...pending, offset },
    myFeedback,
    quality,
    qualityDays: QUALITY_DAYS,
    marketer,
    manager,
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
