import { escapedWithin, mention, mentionList, plural } from '../../slack/kit/index.js';
import type { PoolMember } from './queries.js';

/** `/tandem pool list`: each pool's members in round-robin order, who is away and why, and who is next. */
export function poolListText(members: PoolMember[], away: Map<string, string>): string {
  if (members.length === 0) return 'No pools yet. An admin creates one with `/tandem pool add <pool> @a @b …`.';
  const pools = new Map<string, PoolMember[]>();
  for (const m of members) pools.set(m.pool, [...(pools.get(m.pool) ?? []), m]);
  const lines = [...pools].map(([pool, list]) => {
    const next = list.find((m) => !away.has(m.slack_user_id));
    const people = list.map((m) => {
      const why = away.get(m.slack_user_id);
      return `${mention(m.slack_user_id)}${why ? ` (${why})` : ''}`;
    });
    const nextText = next ? `next: ${mention(next.slack_user_id)}` : 'nobody available';
    return `• *${escapedWithin(pool, 40)}* (${plural(list.length, 'member')}; ${nextText}): ${people.join(', ')}`;
  });
  return ['*Pools*', ...lines].join('\n');
}

export function routeListText(routes: Array<{ campaign_crm_id: string; channel: string }>, sales: string): string {
  const fallback = routes.find((r) => r.campaign_crm_id === '');
  const lines = routes
    .filter((r) => r.campaign_crm_id !== '')
    .map((r) => `• campaign \`${escapedWithin(r.campaign_crm_id, 200).replace(/`/g, "'")}\` → <#${r.channel}>`);
  return [
    '*Where handoff cards go*',
    ...lines,
    `• everything else → <#${fallback?.channel ?? sales}>${fallback ? '' : ' (SALES_CHANNEL)'}`,
  ].join('\n');
}

export function awayText(userId: string, self: boolean, untilDay: string | null): string {
  const who = self ? 'You are' : `${mention(userId)} is`;
  const until = untilDay ? ` until ${untilDay} (inclusive)` : ' until `/tandem back`';
  return `${who} away${until}: pools skip ${self ? 'you' : 'them'} when reassigning leads.`;
}

export function backText(userId: string, self: boolean, wasAway: boolean): string {
  const who = self ? 'You are' : `${mention(userId)} is`;
  return wasAway ? `${who} back: pools include ${self ? 'you' : 'them'} again.` : `${who} not marked away.`;
}

export function poolChangedText(pool: string, verb: 'added to' | 'removed from', changed: string[], asked: string[]) {
  const unchanged = asked.filter((id) => !changed.includes(id));
  const done =
    changed.length > 0 ? `${mentionList(changed)} ${verb} *${escapedWithin(pool, 40)}*.` : 'Nothing changed.';
  const already =
    unchanged.length > 0 ? ` ${mentionList(unchanged)} ${verb === 'added to' ? 'already in it' : 'not in it'}.` : '';
  return `${done}${already}`;
}
