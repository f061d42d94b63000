import type { Db } from '../../db/database.js';
import { recordEventOnce } from '../../db/events.js';
import type { Campaign, CampaignStatus } from '../../db/schema.js';
import { enqueue } from '../../slack/outbox.js';
import { isStaleEvent, nextSourceTime } from '../event-time.js';
import {
  type AnnouncedCampaign,
  type ChangedField,
  campaignAnnouncement,
  campaignEndedNote,
  campaignUpdateNote,
} from './blocks.js';
import { lockCampaign, updateCampaign } from './queries.js';
import type { CampaignFields } from './schema.js';

/** What Slack will show for an event, for the log; `stale`: older than the newest event applied, so nothing. */
export type CampaignPost = 'announcement' | 'update' | 'nothing' | 'stale';

export interface CampaignOutcome {
  campaign: Campaign;
  posted: CampaignPost;
}

const time = (d: Date | null) => d?.getTime() ?? null;

/** Which of what sales sees differs between two versions of a campaign. */
export function changedFields(before: AnnouncedCampaign, after: AnnouncedCampaign): ChangedField[] {
  const changed: ChangedField[] = [];
  if (before.name !== after.name) changed.push('name');
  if (time(before.starts_at) !== time(after.starts_at) || time(before.ends_at) !== time(after.ends_at)) {
    changed.push('dates');
  }
  for (const field of ['audience', 'goal', 'talking_points', 'offer', 'url'] as const) {
    if (before[field] !== after[field]) changed.push(field);
  }
  if (before.owner_slack_user_id !== after.owner_slack_user_id || before.owner_email !== after.owner_email) {
    changed.push('owner');
  }
  return changed;
}

/**
 * The stored row after an event. Fields the event leaves out keep their stored values: a CRM that sends only
 * `{id, name, status: "ended"}` must not wipe the talking points off the announcement it edits.
 */
function nextValues(before: Campaign, c: CampaignFields, status: CampaignStatus, ownerSlackUserId: string | null) {
  const sameOwner = c.owner?.email !== undefined && c.owner.email === before.owner_email;
  return {
    name: c.name,
    status,
    channel: c.channel ?? before.channel,
    starts_at: c.starts_at ?? before.starts_at,
    ends_at: c.ends_at ?? before.ends_at,
    audience: c.audience ?? before.audience,
    goal: c.goal ?? before.goal,
    talking_points: c.talking_points ?? before.talking_points,
    offer: c.offer ?? before.offer,
    url: c.url ?? before.url,
    budget: c.budget ?? before.budget,
    ...(c.owner && {
      owner_email: c.owner.email ?? null,
      // A lookup that timed out this time should not turn a known owner's mention back into an email.
      owner_slack_user_id: ownerSlackUserId ?? c.owner.slack_user_id ?? (sameOwner ? before.owner_slack_user_id : null),
    }),
    placeholder: false,
  };
}

/**
 * The status after an event. An ended campaign stays ended unless an explicit `launched` newer than its end
 * reopens it: a redelivered `updated` (or one without a status) must not bring a finished campaign back.
 */
function nextStatus(before: Campaign, sent: CampaignFields['status'], occurredAt: string | undefined): CampaignStatus {
  if (before.status !== 'ended') return sent ?? 'launched';
  const newer =
    occurredAt === undefined ||
    before.source_updated_at === null ||
    new Date(occurredAt).getTime() > before.source_updated_at.getTime();
  return sent === 'launched' && newer ? 'launched' : 'ended';
}

/**
 * Stores a campaign event (from the CRM webhook or the /campaign modal) and queues what Slack shows for it, in
 * the caller's transaction: `launched` (or `updated` before any announcement) announces it in the sales channel;
 * later events edit that announcement and say so in its thread; `ended` adds a closing note; `planned` is only
 * stored. A placeholder row made by a handoff or deal naming this campaign is filled in. An event older (by
 * `occurredAt`) than the newest applied to the campaign is stale: it changes and posts nothing.
 */
export async function applyCampaignEvent(
  trx: Db,
  salesChannel: string,
  fields: CampaignFields,
  ownerSlackUserId: string | null,
  occurredAt?: string,
): Promise<CampaignOutcome> {
  const before = await lockCampaign(trx, fields.id);
  if (isStaleEvent(before.source_updated_at, occurredAt)) return { campaign: before, posted: 'stale' };
  const status = nextStatus(before, fields.status, occurredAt);
  const campaign = await updateCampaign(trx, before.id, {
    ...nextValues(before, fields, status, ownerSlackUserId),
    source_updated_at: nextSourceTime(before.source_updated_at, occurredAt),
  });
  if (status === 'planned') return { campaign, posted: 'nothing' };

  const announcementId = before.announcement_outbox_id;
  if (!announcementId) {
    // Never announced: an ended campaign is history, anything else is running and worth announcing now.
    if (status === 'ended') return { campaign, posted: 'nothing' };
    const id = await enqueue(trx, {
      method: 'chat.postMessage',
      channel: salesChannel,
      payload: { ...campaignAnnouncement(campaign), unfurl_links: false, unfurl_media: false },
    });
    const announced = await updateCampaign(trx, campaign.id, { announcement_outbox_id: id });
    return { campaign: announced, posted: 'announcement' };
  }

  await enqueue(trx, {
    method: 'chat.update',
    payload: { ...campaignAnnouncement(campaign) },
    dependsOn: announcementId,
  });
  const note =
    status === 'ended'
      ? // A resent `ended` refreshes the announcement but does not say goodbye twice.
        before.status === 'ended'
        ? undefined
        : campaignEndedNote(campaign)
      : campaignUpdateNote(before, campaign, changedFields(before, campaign));
  if (note) {
    await enqueue(trx, {
      method: 'chat.postMessage',
      payload: { ...note, unfurl_links: false, unfurl_media: false },
      dependsOn: announcementId,
    });
  }
  return { campaign, posted: 'update' };
}

/**
 * Applies a campaign event at most once per `eventId`, recording it where the webhook records its events: a
 * double-submitted /campaign modal announces once. Returns 'duplicate' for an event seen before.
 */
export async function applyCampaignEventOnce(
  db: Db,
  eventId: string,
  salesChannel: string,
  fields: CampaignFields,
  ownerSlackUserId: string | null,
): Promise<CampaignOutcome | 'duplicate'> {
  return db.transaction().execute(async (trx) => {
    if (!(await recordEventOnce(trx, eventId, 'campaign'))) return 'duplicate';
    return applyCampaignEvent(trx, salesChannel, fields, ownerSlackUserId);
  });
}
