import type { KnownBlock } from '@slack/types';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { digestMessage } from './blocks.js';
import { computeDigest } from './queries.js';

export const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * The Slack digest for the 7 days up to `to`, compared with the 7 days before. Both periods come from
 * computeDigest, the function behind GET /api/digest, so the message and the data cannot disagree.
 */
export async function weeklyDigestMessage(
  db: Db,
  to: Date,
  config: Pick<Config, 'handoffSlaHours' | 'schedule'>,
): Promise<{ text: string; blocks: KnownBlock[] }> {
  const from = new Date(to.getTime() - WEEK_MS);
  const options = { slaHours: config.handoffSlaHours };
  const current = await computeDigest(db, from, to, options);
  const previous = await computeDigest(db, new Date(from.getTime() - WEEK_MS), from, options);
  return digestMessage(current, previous, { timeZone: config.schedule.timezone });
}
