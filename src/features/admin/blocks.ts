import { escapedWithin, mention, plural } from '../../slack/kit/index.js';
import type { UnmappedOwner } from '../people/queries.js';

/** One line per subcommand, in the order the table lists them. */
export function helpText(commands: ReadonlyArray<{ usage: string; description: string; adminOnly: boolean }>): string {
  const lines = commands.map((c) => `• \`/tandem ${c.usage}\`: ${c.description}${c.adminOnly ? ' (admins)' : ''}`);
  return ['*Tandem commands*', ...lines].join('\n');
}

/** CRM owners without a Slack person, with how many pending handoffs wait on each. */
export function unmappedText(owners: UnmappedOwner[]): string {
  if (owners.length === 0) return 'Every CRM owner Tandem has seen is mapped to a Slack person.';
  const lines = owners.map((o) => {
    const who = [o.name, o.email].filter(Boolean).map((v) => escapedWithin(v as string, 200));
    const label = who.length > 0 ? `${who.join(' · ')} ` : '';
    return `• ${label}(${escapedWithin(o.crm, 40)} \`${escapedWithin(o.crm_user_id, 100)}\`): ${plural(o.pending, 'pending handoff')}`;
  });
  return [
    `*CRM owners not in Slack* (${owners.length})`,
    ...lines,
    'Map one with `/tandem map <crm user id or email> @person`.',
  ].join('\n');
}

export function mappedText(key: string, slackUserId: string, owners: number, handoffs: number): string {
  return (
    `Mapped ${escapedWithin(key, 320)} to ${mention(slackUserId)} (${plural(owners, 'CRM user')}); ` +
    `${plural(handoffs, 'open handoff')} now show them.`
  );
}
