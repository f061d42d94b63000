import '../../zod-setup.js';

/**
 * A user as `/tandem` receives it: with `should_escape: true` Slack sends `<@U123|name>`; a bare `U123` is
 * accepted too. Anything else is not a user.
 */
export function parseUserArg(arg: string | undefined): string | undefined {
  const trimmed = arg?.trim() ?? '';
  const escaped = /^<@([UW][A-Z0-9]{2,})(\|[^>]*)?>$/.exec(trimmed);
  if (escaped) return escaped[1];
  return /^[UW][A-Z0-9]{2,}$/.test(trimmed) ? trimmed : undefined;
}

/**
 * Slack escapes an email in command text as a mailto link, `<mailto:a@b.example|a@b.example>`: the address
 * itself is what was meant. Other text is taken as typed.
 */
export function parseCrmUserArg(arg: string | undefined): string | undefined {
  const trimmed = arg?.trim() ?? '';
  const mailto = /^<mailto:([^|>]+)(\|[^>]*)?>$/.exec(trimmed);
  const value = mailto ? mailto[1] : trimmed;
  return value && value.length <= 320 && !/[<>\s]/.test(value) ? value : undefined;
}

/** `/tandem <subcommand> <args…>`: the first word picks the subcommand (case-insensitive), the rest are its args. */
export function splitCommand(text: string): { name: string; args: string[] } {
  const [name = 'help', ...args] = text.trim().split(/\s+/).filter(Boolean);
  return { name: name.toLowerCase(), args };
}
