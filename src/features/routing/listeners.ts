import type { Deps } from '../../deps.js';
import type { Subcommand } from '../admin/listeners.js';
import { parseUserArg } from '../admin/schema.js';
import { isAdmin } from '../people/record.js';
import { awayAmong } from './availability.js';
import { awayText, backText, poolChangedText, poolListText, routeListText } from './blocks.js';
import {
  addPoolMembers,
  clearAway,
  DEFAULT_ROUTE,
  listRoutes,
  poolMembers,
  removePoolMembers,
  setAway,
  setRoute,
} from './queries.js';
import { parseCampaignArg, parseChannelArg, parseDayArg, parsePoolName } from './schema.js';

const usage = (sub: Subcommand) => `Usage: \`/tandem ${sub.usage}\``;

/** The people named after the pool, or undefined when any of them is not a user. */
function usersIn(args: string[]): string[] | undefined {
  const ids = args.map(parseUserArg);
  return ids.length > 0 && ids.every(Boolean) ? [...new Set(ids as string[])] : undefined;
}

const poolAdd: Subcommand = {
  name: 'pool add',
  usage: 'pool add <pool> @a @b …',
  description: 'put reps in a round-robin pool (created if new); a rep may be in several',
  adminOnly: true,
  async run(deps, args) {
    const pool = parsePoolName(args[0]);
    const users = usersIn(args.slice(1));
    if (!pool || !users) return `${usage(poolAdd)} (a pool is one word: letters, digits, - or _)`;
    return poolChangedText(pool, 'added to', await addPoolMembers(deps.db, pool, users), users);
  },
};

const poolRemove: Subcommand = {
  name: 'pool remove',
  usage: 'pool remove <pool> @a',
  description: 'take reps out of a pool',
  adminOnly: true,
  async run(deps, args) {
    const pool = parsePoolName(args[0]);
    const users = usersIn(args.slice(1));
    if (!pool || !users) return usage(poolRemove);
    return poolChangedText(pool, 'removed from', await removePoolMembers(deps.db, pool, users), users);
  },
};

const poolList: Subcommand = {
  name: 'pool list',
  usage: 'pool list',
  description: 'the pools, their members, who is away and who is next',
  adminOnly: false,
  async run(deps) {
    const members = await poolMembers(deps.db);
    return poolListText(
      members,
      await awayAmong(
        deps,
        members.map((m) => m.slack_user_id),
      ),
    );
  },
};

/** `[@rep] [until YYYY-MM-DD]`: whom (oneself unless named; others only for admins) and until when. */
async function whomAndUntil(deps: Deps, args: string[], userId: string) {
  const named = args[0] && !/^until$/i.test(args[0]) ? parseUserArg(args[0]) : undefined;
  if (args[0] && !/^until$/i.test(args[0]) && !named) return { error: 'bad' as const };
  const rest = named ? args.slice(1) : args;
  let until: string | null = null;
  if (rest.length > 0) {
    const day = rest.length === 2 && /^until$/i.test(rest[0] ?? '') ? parseDayArg(rest[1]) : undefined;
    if (!day) return { error: 'bad' as const };
    until = day;
  }
  const whom = named ?? userId;
  if (whom !== userId && !(await isAdmin(deps, userId))) return { error: 'admin' as const };
  return { whom, until, self: whom === userId };
}

const adminRefusal = (what: string) =>
  `Only Tandem admins (TANDEM_ADMINS) and workspace admins can ${what} someone else. Nothing was changed.`;

const away: Subcommand = {
  name: 'away',
  usage: 'away [until YYYY-MM-DD]',
  description:
    'say you are out (admins: `away @rep …`); a :palm_tree:, :face_with_thermometer: or :airplane: status counts too',
  adminOnly: false,
  async run(deps, args, userId) {
    const parsed = await whomAndUntil(deps, args, userId);
    if ('error' in parsed) return parsed.error === 'admin' ? adminRefusal('mark away') : usage(away);
    await setAway(deps.db, parsed.whom, parsed.until, userId);
    return awayText(parsed.whom, parsed.self, parsed.until);
  },
};

const back: Subcommand = {
  name: 'back',
  usage: 'back',
  description: 'say you are back (admins: `back @rep`)',
  adminOnly: false,
  async run(deps, args, userId) {
    const parsed = await whomAndUntil(deps, args, userId);
    if ('error' in parsed || parsed.until) {
      return 'error' in parsed && parsed.error === 'admin' ? adminRefusal('mark back') : usage(back);
    }
    return backText(parsed.whom, parsed.self, await clearAway(deps.db, parsed.whom));
  },
};

const routeCampaign: Subcommand = {
  name: 'route campaign',
  usage: 'route campaign <campaign id> #channel',
  description: 'post handoff cards for a campaign’s leads in that channel',
  adminOnly: true,
  async run(deps, args, userId) {
    const campaign = parseCampaignArg(args[0]);
    const channel = parseChannelArg(args[1]);
    if (!campaign || !channel || args.length !== 2) return usage(routeCampaign);
    await setRoute(deps.db, campaign, channel, userId);
    return `Handoff cards for campaign \`${campaign.replace(/`/g, "'")}\` now go to <#${channel}>.`;
  },
};

const routeDefault: Subcommand = {
  name: 'route default',
  usage: 'route default #channel',
  description: 'post every other handoff card in that channel (default SALES_CHANNEL)',
  adminOnly: true,
  async run(deps, args, userId) {
    const channel = parseChannelArg(args[0]);
    if (!channel || args.length !== 1) return usage(routeDefault);
    await setRoute(deps.db, DEFAULT_ROUTE, channel, userId);
    return `Handoff cards without a campaign route now go to <#${channel}>.`;
  },
};

const routeList: Subcommand = {
  name: 'route list',
  usage: 'route list',
  description: 'where handoff cards go, by campaign',
  adminOnly: false,
  async run(deps) {
    return routeListText(await listRoutes(deps.db), deps.config.channels.sales);
  },
};

/** Routing's `/tandem` subcommands, in the order `help` lists them. */
export const ROUTING_SUBCOMMANDS: Subcommand[] = [
  poolAdd,
  poolRemove,
  poolList,
  away,
  back,
  routeCampaign,
  routeDefault,
  routeList,
];
