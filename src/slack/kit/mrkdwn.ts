/**
 * Slack mrkdwn text. Every piece of text that came from outside (a CRM, a form, a person) goes through
 * `escapeMrkdwn` (or `escapedWithin`, which also bounds it) before it is put into mrkdwn, so a lead named
 * `<!channel>` pings nobody and injects no link.
 */

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * Escapes outside text and keeps the result within `max` characters. Escaping can grow text fivefold (`&` →
 * `&amp;`), so the raw text is cut by its escaped width: cutting the escaped text could split an entity in half.
 */
export function escapedWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let width = 1; // the ellipsis
  let end = 0;
  // By code point, so an emoji's surrogate pair is never split either.
  for (const ch of text) {
    const w = escapeMrkdwn(ch).length;
    if (width + w > max) break;
    width += w;
    end += ch.length;
  }
  return `${escapeMrkdwn(text.slice(0, end).trimEnd())}…`;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** `<@U123>` for a real Slack user id; anything else is shown as escaped text, never as a mention. */
export function mention(userId: string): string {
  return SLACK_USER_ID.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** A mention when the Slack user is known, else the email as text (bounded), else the fallback. */
/** Users and user groups (S…) as mentions, joined for a sentence: `<@U1>, <@U2> or <!subteam^S1>`. */
export function mentionList(ids: readonly string[]): string {
  const names = ids.map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : mention(id)));
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

export function personLabel(person: { slackUserId?: string | null; email?: string | null }, fallback = 'someone') {
  if (person.slackUserId) return mention(person.slackUserId);
  if (person.email) return escapedWithin(person.email, 320);
  return fallback;
}

/** A URL this long would crowd Slack's text limits (a field holds 2000): such a link is shown as its label. */
export const LINK_URL_MAX = 1_000;

/** A link when `url` is http(s) and not too long, else just the label; the label is escaped and cannot end the link. */
export function link(url: string | null | undefined, label: string): string {
  const text = escapeMrkdwn(label).replace(/\|/g, '¦');
  if (!url || url.length > LINK_URL_MAX || !/^https?:\/\/[^\s<>|]+$/i.test(url)) return text;
  return `<${url.replace(/&/g, '&amp;')}|${text}>`;
}

/** Prefixes each line with `>` so a multi-line comment stays one quote. */
export function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `>${escapeMrkdwn(line)}`)
    .join('\n');
}

export function stars(rating: number): string {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return `${'★'.repeat(n)}${'☆'.repeat(5 - n)}`;
}
