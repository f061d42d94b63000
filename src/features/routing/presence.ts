import type { Deps } from '../../deps.js';
import { slackErrorCode } from '../../slack/client.js';

/** Status emoji that mean "out" while the status lasts: vacation, sick, travelling. */
export const AWAY_EMOJI: readonly string[] = [':palm_tree:', ':face_with_thermometer:', ':airplane:'];

/** What users.info says about a person that routing needs: their zone and their status. */
export interface Presence {
  tz: string | undefined;
  statusEmoji: string;
  /** Unix seconds; 0 when the status does not expire. */
  statusExpiration: number;
}

const TTL_MS = 60_000;
// Per Slack client, so every test app (and every replica) has its own; a minute old is fresh enough for routing.
const caches = new WeakMap<object, Map<string, { presence: Presence | undefined; expires: number }>>();

/**
 * A person's zone and status from users.info (Tier 4), remembered for a minute. A failed call is undefined:
 * the caller falls back to the team's zone and to `/tandem away` alone, never to "nobody is available".
 */
export async function presenceOf({ slack, logger }: Pick<Deps, 'slack' | 'logger'>, userId: string) {
  const cache = caches.get(slack) ?? new Map();
  caches.set(slack, cache);
  const hit = cache.get(userId);
  if (hit && hit.expires > Date.now()) return hit.presence;
  let presence: Presence | undefined;
  try {
    const { user } = await slack.interactive.users.info({ user: userId });
    presence = {
      tz: user?.tz || undefined,
      statusEmoji: user?.profile?.status_emoji ?? '',
      statusExpiration: Number(user?.profile?.status_expiration ?? 0),
    };
  } catch (err) {
    logger.warn({ err: slackErrorCode(err), userId }, 'could not read a Slack user’s zone and status');
  }
  cache.set(userId, { presence, expires: Date.now() + TTL_MS });
  return presence;
}

/**
 * Away by Slack's own signal: one of AWAY_EMOJI as the status, not yet expired. A status set to never expire
 * (expiration 0) is as current as one that expires next week.
 */
export function awayByStatus(presence: Presence | undefined, now: Date): boolean {
  if (!presence || !AWAY_EMOJI.includes(presence.statusEmoji)) return false;
  return presence.statusExpiration === 0 || presence.statusExpiration * 1000 > now.getTime();
}

/** The zone an owner's working hours are read in: theirs in Slack, else DIGEST_TIMEZONE. */
export async function zoneOf(deps: Pick<Deps, 'slack' | 'logger' | 'config'>, userId: string | null) {
  const tz = userId ? (await presenceOf(deps, userId))?.tz : undefined;
  return tz && isZone(tz) ? tz : deps.config.schedule.timezone;
}

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
