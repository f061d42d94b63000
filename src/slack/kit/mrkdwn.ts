/**
 * Slack mrkdwn text. Every piece of text that came from outside (a CRM, a form, a person) goes through
 * `escapeMrkdwn` (or `escapedWithin`, which also bounds it) before it is put into mrkdwn, so a lead named
 * `<!channel>` pings nobody and injects no link.
 */

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Where to cut `text` to keep `end` characters at most without splitting an emoji's surrogate pair. */
function codePointEnd(text: string, end: number): number {
  return end > 0 && isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end;
}

/** Shortens to at most `max` characters, marking the cut with an ellipsis; an emoji is never cut in half. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, codePointEnd(text, Math.max(0, max - 1))).trimEnd()}…`;
}

/**
 * Shortens mrkdwn that is already escaped and formatted to at most `max` characters. The cut never falls inside
 * an entity (`&amp;` cut to `&am` shows as garbage), a `<…>` link, mention or date (which would swallow the rest),
 * or an emoji's surrogate pair.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = codePointEnd(text, Math.max(0, max - 1));
  const amp = text.lastIndexOf('&', end - 1);
  if (amp >= 0 && amp > text.lastIndexOf(';', end - 1)) end = amp;
  const open = text.lastIndexOf('<', end - 1);
  if (open >= 0 && open > text.lastIndexOf('>', end - 1)) end = open;
  return `${text.slice(0, end).trimEnd()}…`;
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

/** A link's label, escaped: with the longest URL shown, a link still fits a section field (2000). */
export const LINK_LABEL_MAX = 500;

/**
 * A link when `url` is http(s) and not too long, else just the label; the label is escaped (within
 * LINK_LABEL_MAX) and cannot end the link.
 */
export function link(url: string | null | undefined, label: string): string {
  const text = escapedWithin(label.replace(/\|/g, '¦'), LINK_LABEL_MAX);
  if (!url || !/^https?:\/\/[^\s<>|]+$/i.test(url)) return text;
  // Measured escaped: a query string of `&`s grows fivefold.
  const escapedUrl = url.replace(/&/g, '&amp;');
  return escapedUrl.length > LINK_URL_MAX ? text : `<${escapedUrl}|${text}>`;
}

/**
 * Prefixes each line with `>` so a multi-line comment stays one quote, escaped and kept within `max` characters
 * (a section's 3000 by default). Like `escapedWithin`, it cuts the raw text by its quoted width, never the result.
 */
export function quote(text: string, max = 3_000): string {
  const quoteChar = (ch: string) => (ch === '\n' ? '\n>' : escapeMrkdwn(ch));
  const whole = `>${text.split('\n').map(escapeMrkdwn).join('\n>')}`;
  if (whole.length <= max) return whole;
  let quoted = '>';
  for (const ch of text) {
    const piece = quoteChar(ch);
    if (quoted.length + piece.length + 1 > max) break;
    quoted += piece;
  }
  return `${quoted.trimEnd()}…`;
}

export function stars(rating: number): string {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return `${'★'.repeat(n)}${'☆'.repeat(5 - n)}`;
}
