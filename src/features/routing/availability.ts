import type { Deps } from '../../deps.js';
import { awayByStatus, presenceOf } from './presence.js';
import { awayOn } from './queries.js';

/** Today in the team's zone, as `/tandem away until` days are written: YYYY-MM-DD. */
export function teamDay(now: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
}

/**
 * Who among `userIds` is out now, and why: said so with `/tandem away` (until a day, or until back), or a Slack
 * status that means it (AWAY_EMOJI, not expired). Everyone else is available.
 */
export async function awayAmong(
  deps: Pick<Deps, 'db' | 'slack' | 'logger' | 'config'>,
  userIds: string[],
  now = new Date(),
): Promise<Map<string, string>> {
  const unique = [...new Set(userIds)];
  const said = await awayOn(deps.db, unique, teamDay(now, deps.config.schedule.timezone));
  const away = new Map<string, string>();
  for (const [id, until] of said) away.set(id, until ? `away until ${until}` : 'away');
  const statuses = await Promise.all(
    unique.filter((id) => !away.has(id)).map(async (id) => [id, await presenceOf(deps, id)] as const),
  );
  for (const [id, presence] of statuses) {
    if (presence && awayByStatus(presence, now)) away.set(id, `away (Slack status ${presence.statusEmoji})`);
  }
  return away;
}
