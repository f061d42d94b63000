import '../../zod-setup.js';

/** A pool's name as admins type it: a short word (letters, digits, `-`, `_`), case-insensitive. */
export function parsePoolName(arg: string | undefined): string | undefined {
  const name = arg?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9_-]{0,39}$/.test(name) ? name : undefined;
}

/** A channel as `/tandem` receives it: `<#C123|name>` (escaped), `<#C123>`, or a bare `C123`. */
export function parseChannelArg(arg: string | undefined): string | undefined {
  const trimmed = arg?.trim() ?? '';
  const escaped = /^<#([CG][A-Z0-9]{2,})(\|[^>]*)?>$/.exec(trimmed);
  if (escaped) return escaped[1];
  return /^[CG][A-Z0-9]{2,}$/.test(trimmed) ? trimmed : undefined;
}

/** A campaign id as the CRM sends it (`campaign_id`): any text without spaces or angle brackets. */
export function parseCampaignArg(arg: string | undefined): string | undefined {
  const trimmed = arg?.trim() ?? '';
  return trimmed.length > 0 && trimmed.length <= 200 && !/[<>\s]/.test(trimmed) ? trimmed : undefined;
}

/** A calendar day, `YYYY-MM-DD`, that exists. */
export function parseDayArg(arg: string | undefined): string | undefined {
  const trimmed = arg?.trim() ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return undefined;
  const date = new Date(`${trimmed}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === trimmed ? trimmed : undefined;
}
