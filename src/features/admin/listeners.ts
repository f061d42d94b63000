import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { requestLogger } from '../../slack/app.js';
import { publishHome } from '../home/listeners.js';
import { unmappedOwners } from '../people/queries.js';
import { isAdmin, mapOwner } from '../people/record.js';
import { ROUTING_SUBCOMMANDS } from '../routing/listeners.js';
import { helpText, mappedText, unmappedText } from './blocks.js';
import { parseCrmUserArg, parseUserArg, splitCommand } from './schema.js';

/** One `/tandem` subcommand: what `help` says about it, who may run it, and what it answers. */
export interface Subcommand {
  /** One word, or two for a family (`pool add`): the longer name wins. */
  name: string;
  usage: string;
  description: string;
  adminOnly: boolean;
  run(deps: Deps, args: string[], userId: string): Promise<string>;
}

const map: Subcommand = {
  name: 'map',
  usage: 'map <crm user id or email> @person',
  description: 'say who a CRM owner is in Slack; their open handoffs and Home follow at once',
  adminOnly: true,
  async run(deps, args) {
    const key = parseCrmUserArg(args[0]);
    const slackUserId = parseUserArg(args[1]);
    if (!key || !slackUserId || args.length !== 2) return `Usage: \`/tandem ${map.usage}\``;
    const { users, handoffs } = await mapOwner(deps.db, key, slackUserId);
    if (users.length === 0) {
      return `Tandem has not seen a CRM owner with id \`${key.replace(/`/g, "'")}\` yet. Use their email, or \`/tandem unmapped\` to see the ids.`;
    }
    await publishHome(deps, slackUserId);
    return mappedText(key, slackUserId, users.length, handoffs.length);
  },
};

const unmapped: Subcommand = {
  name: 'unmapped',
  usage: 'unmapped',
  description: 'list CRM owners without a Slack person, and how many pending handoffs wait on each',
  adminOnly: true,
  async run(deps) {
    return unmappedText(await unmappedOwners(deps.db));
  },
};

const help: Subcommand = {
  name: 'help',
  usage: 'help',
  description: 'this list',
  adminOnly: false,
  async run() {
    return helpText(SUBCOMMANDS);
  },
};

/** The subcommands `/tandem` knows, in the order `help` lists them. Add new ones here. */
export const SUBCOMMANDS: Subcommand[] = [map, unmapped, ...ROUTING_SUBCOMMANDS, help];

/** The subcommand the text names (`pool add …` before `pool …`) and the arguments after its name. */
function findSubcommand(text: string): { name: string; sub: Subcommand | undefined; args: string[] } {
  const { name, args } = splitCommand(text);
  const two = `${name} ${args[0]?.toLowerCase() ?? ''}`;
  const pair = SUBCOMMANDS.find((s) => s.name === two);
  if (pair) return { name: two, sub: pair, args: args.slice(1) };
  return { name, sub: SUBCOMMANDS.find((s) => s.name === name), args };
}

/** `/tandem`: ack at once, then run the subcommand (refusing non-admins where it is for admins) and answer privately. */
export function tandemCommand(deps: Deps) {
  return async ({ ack, command, respond, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const { name, sub, args } = findSubcommand(command.text);
    let text: string;
    if (!sub) text = `I don't know \`/tandem ${name.replace(/`/g, "'").slice(0, 40)}\`.\n${helpText(SUBCOMMANDS)}`;
    else if (sub.adminOnly && !(await isAdmin(deps, command.user_id))) {
      text = `Only Tandem admins (TANDEM_ADMINS) and workspace admins can use \`/tandem ${sub.name}\`. Nothing was changed.`;
    } else {
      text = await sub.run(deps, args, command.user_id);
      requestLogger(context).info({ subcommand: sub.name, user: command.user_id }, '/tandem run');
    }
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  };
}
