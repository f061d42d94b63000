// Slack mrkdwn to HTML. Every piece of text is untrusted: it is HTML-escaped before any markup is added, and
// links are kept only for http(s) and mailto URLs.

const EMOJI = {
  alarm_clock: '⏰',
  bar_chart: '📊',
  calendar: '📅',
  chart_with_upwards_trend: '📈',
  checkered_flag: '🏁',
  clipboard: '📋',
  dart: '🎯',
  email: '📧',
  fire: '🔥',
  gift: '🎁',
  handshake: '🤝',
  hourglass: '⏳',
  inbox_tray: '📥',
  incoming_envelope: '📨',
  information_source: 'ℹ️',
  link: '🔗',
  mag: '🔍',
  mega: '📣',
  memo: '📝',
  moneybag: '💰',
  no_entry: '⛔',
  rocket: '🚀',
  rotating_light: '🚨',
  speech_balloon: '💬',
  star: '⭐',
  tada: '🎉',
  thumbsup: '👍',
  trophy: '🏆',
  warning: '⚠️',
  wave: '👋',
  white_check_mark: '✅',
  x: '❌',
};

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

/** Slack's own escaping (&amp; &lt; &gt;) undone, so the text can be escaped once for HTML. */
function decodeSlack(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function emojify(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (match, name) => EMOJI[name] ?? match);
}

function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : undefined;
}

const ordinal = (n) => {
  const suffix =
    n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
};

/** `<!date^seconds^format|fallback>` as Slack shows it, in the reader's time zone. */
export function formatSlackDate(seconds, format) {
  const date = new Date(seconds * 1000);
  const month = (style) => date.toLocaleString('en-US', { month: style });
  const day = date.getDate();
  const year = date.getFullYear();
  const pretty = (fallback) => {
    const days = Math.round((new Date(date).setHours(0, 0, 0, 0) - new Date().setHours(0, 0, 0, 0)) / 86_400_000);
    return days === 0 ? 'today' : days === -1 ? 'yesterday' : days === 1 ? 'tomorrow' : fallback;
  };
  const parts = {
    date_num: `${year}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    date: `${month('long')} ${ordinal(day)}, ${year}`,
    date_short: `${month('short')} ${day}, ${year}`,
    date_long: `${date.toLocaleString('en-US', { weekday: 'long' })}, ${month('long')} ${ordinal(day)}, ${year}`,
    time: date.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' }),
    time_secs: date.toLocaleTimeString('en-US'),
  };
  parts.date_pretty = pretty(parts.date);
  parts.date_short_pretty = pretty(parts.date_short);
  parts.date_long_pretty = pretty(parts.date_long);
  return format.replace(/\{([a-z_]+)\}/g, (match, key) => parts[key] ?? match);
}

/** One `<…>` token: a mention, a channel, a date, a special mention, or a link. Returns HTML. */
function token(inner, people) {
  const [target, label] = splitLabel(inner);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention">@${escapeHtml(people(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith('!date^')) {
    const [, seconds, format] = target.split('^');
    const text = Number.isFinite(Number(seconds)) ? formatSlackDate(Number(seconds), format ?? '') : label;
    return `<time>${escapeHtml(text ?? '')}</time>`;
  }
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1).split('^')[0])}</span>`;
  const url = safeUrl(decodeSlack(target));
  const text = escapeHtml(label ?? decodeSlack(target));
  return url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
}

function splitLabel(inner) {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), decodeSlack(inner.slice(bar + 1))];
}

/** Bold, italic, strike, on text that is already HTML-escaped (placeholders hold the tokens). */
function styles(text) {
  return text
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1<b>$2</b>')
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<i>$2</i>')
    .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?!\w)/g, '$1<s>$2</s>');
}

/**
 * Renders Slack mrkdwn as HTML: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, code blocks, `>` quotes, links,
 * user mentions as names (`people(id)`), `<!date^…>` as dates, emoji shortcodes.
 */
export function mrkdwnToHtml(source, people = () => undefined) {
  const held = [];
  const hold = (html) => `\uE000${held.push(html) - 1}\uE001`;
  let text = String(source ?? '');
  text = text.replace(/```([\s\S]*?)```/g, (_, code) => hold(`<pre>${escapeHtml(decodeSlack(code))}</pre>`));
  text = text.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(decodeSlack(code))}</code>`));
  text = text.replace(/<([^<>\n]+)>/g, (_, inner) => hold(token(inner, people)));
  const lines = emojify(escapeHtml(decodeSlack(text))).split('\n');
  const out = [];
  let quote = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const quoted = /^&gt;\s?(.*)$/.exec(line);
    if (quoted) quote.push(styles(quoted[1]));
    else {
      flush();
      out.push(`${styles(line)}<br>`);
    }
  }
  flush();
  const html = out.join('').replace(/<br>$/, '');
  return html.replace(/\uE000(\d+)\uE001/g, (_, i) => held[Number(i)]);
}

/** A text object (plain_text or mrkdwn) as HTML. */
export function textToHtml(object, people) {
  if (!object) return '';
  if (object.type === 'mrkdwn') return mrkdwnToHtml(object.text, people);
  return emojify(escapeHtml(object.text)).replace(/\n/g, '<br>');
}
