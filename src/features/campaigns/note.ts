import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { localMidnight } from '../../slack/kit/index.js';
import { computeDigest, type DigestFigures } from '../digest/queries.js';
import type { SlackMessage } from './blocks.js';
import { campaignNote, ENDED_DAYS, LAUNCHING_DAYS } from './note-blocks.js';
import { campaignsForNote } from './queries.js';

const DAY_MS = 24 * 3_600_000;
/** How far back an ended campaign's results reach at most: the longest period the digest API computes. */
const RESULTS_DAYS = 366;

/**
 * The weekly campaign note at `now`. Windows are calendar days in the digest's time zone: launching means starting
 * after now and before the end of the 14th day after today; ended means ending between midnight 7 days ago and now.
 * An ended campaign's results are its digest row (the function behind GET /api/digest) from the earliest start
 * among the ended campaigns to now, so the note and the digest cannot disagree.
 */
export async function weeklyCampaignNote(
  db: Db,
  now: Date,
  config: Pick<Config, 'handoffSlaHours' | 'schedule'>,
): Promise<SlackMessage> {
  const timeZone = config.schedule.timezone;
  const campaigns = await campaignsForNote(db, {
    now,
    launchingUntil: localMidnight(now, timeZone, LAUNCHING_DAYS + 1),
    endedSince: localMidnight(now, timeZone, -ENDED_DAYS),
  });
  const results = new Map<string, DigestFigures>();
  if (campaigns.ended.length > 0) {
    const earliest = Math.min(...campaigns.ended.map((c) => (c.starts_at ?? c.created_at).getTime()));
    const from = new Date(Math.max(earliest, now.getTime() - RESULTS_DAYS * DAY_MS));
    const digest = await computeDigest(db, from, now, { slaHours: config.handoffSlaHours });
    for (const row of digest.campaigns) if (row.campaign_id) results.set(row.campaign_id, row);
  }
  return campaignNote({ ...campaigns, results, now, timeZone });
}
