import type { KnownBlock } from '@slack/types';
import {
  averageRating,
  context,
  dayRange,
  escapedWithin,
  escapeMrkdwn,
  field as fieldText,
  formatMoney,
  header,
  mentionList,
  NO_FIGURE,
  percent,
  plural,
  SECTION_TEXT_MAX,
  section,
  truncate,
} from '../../slack/kit/index.js';
import { REASONS, type ReasonCode } from '../feedback/ids.js';
import type { Digest, DigestCampaign, DigestFigures } from './queries.js';

/** Slack's limit per message. */
export const MAX_BLOCKS = 50;
const NAME_WIDTH = 24;
/** Currencies a table row shows before "+N"; the totals show more. */
const ROW_CURRENCIES = 3;
const TOTAL_CURRENCIES = 12;

export interface DigestMessageOptions {
  /** How many campaigns the message lists before "and N more campaigns". */
  maxCampaigns?: number;
  /** Dates in the header are shown in this zone. */
  timeZone?: string;
}

/**
 * The digest as a Slack message: a header with the period, the totals with their change since the week before,
 * then an aligned table per campaign and the top rejection reasons. Pure: both the weekly post and /digest use it.
 */
export function digestMessage(
  current: Digest,
  previous: Digest,
  options: DigestMessageOptions = {},
): { text: string; blocks: KnownBlock[] } {
  const maxCampaigns = Math.max(0, options.maxCampaigns ?? 30);
  const period = formatPeriod(current.from, current.to, options.timeZone ?? 'UTC');
  const t = current.totals;
  const p = previous.totals;

  const blocks: KnownBlock[] = [
    header(`Weekly digest · ${period}`),
    {
      type: 'section',
      fields: [
        field('Leads handed off', `${t.handoffs}`, countChange(t.handoffs, p.handoffs)),
        field('Acceptance rate', percent(t.acceptance_rate), pointsChange(t.acceptance_rate, p.acceptance_rate)),
        field('Avg lead rating', averageRating(t.avg_rating), ratingChange(t.avg_rating, p.avg_rating)),
        field('Revenue won', revenue(t.revenue), `last week ${revenue(p.revenue)}`),
        field('Handoffs past SLA', `${current.sla_breaches}`, 'still pending'),
        field(
          'Accepted · rejected · pending',
          `${t.accepted} · ${t.rejected} · ${t.pending}`,
          countChange(t.accepted, p.accepted, 'accepted'),
        ),
        field('Feedback', `${t.feedback_count} · ${percent(t.sales_ready_rate)} sales-ready`, ''),
        field('Deals won · lost', `${t.deals_won} · ${t.deals_lost}`, countChange(t.deals_won, p.deals_won, 'won')),
      ],
    },
    context('Changes compare with the 7 days before. Rates are rounded for display.'),
  ];

  const campaigns = current.campaigns;
  if (campaigns.length > 0) {
    blocks.push({ type: 'divider' });
    const shown = campaigns.slice(0, maxCampaigns);
    // Packed by length, so no section is cut by the 3000 limit (a cut table would lose rows and its closing fence).
    sections([`*By campaign*\n\`\`\`${TABLE_HEADER}`], shown.map(tableRow), '```').forEach((t, i) => {
      blocks.push(section(i === 0 ? t : `\`\`\`${t}`));
    });
    const reasons = shown.filter((c) => c.top_reject_reasons.length > 0).map(reasonLine);
    if (reasons.length > 0) {
      for (const text of sections(['*Top rejection reasons*'], reasons, '')) blocks.push(section(text));
    }
    const hidden = campaigns.length - shown.length;
    if (hidden > 0) {
      blocks.push(context(`…and ${plural(hidden, 'more campaign')}`));
    }
  } else {
    blocks.push(section('_No handoffs, feedback or deals in this period._'));
  }

  const text =
    `Weekly digest ${period}: ${plural(t.handoffs, 'lead')} handed off, ${percent(t.acceptance_rate)} accepted, ` +
    `avg rating ${averageRating(t.avg_rating)}, revenue ${revenue(t.revenue)}, ${current.sla_breaches} past SLA`;
  return { text, blocks: blocks.slice(0, MAX_BLOCKS) };
}

const TABLE_HEADER = [
  pad('Campaign', NAME_WIDTH),
  lpad('Leads', 5),
  lpad('Acc', 4),
  lpad('Rej', 4),
  lpad('Pend', 4),
  lpad('Acc%', 5),
  lpad('Rating', 6),
  lpad('Ready', 5),
  lpad('Won', 4),
  lpad('Lost', 4),
  '  Revenue',
].join(' ');

/**
 * Lines packed into as few section texts as fit: the first starts with `head`, each ends with `tail` (a code
 * fence), joined by newlines. Every line is far shorter than a section, so none is ever cut.
 */
function sections(head: string[], lines: string[], tail: string): string[] {
  const texts: string[] = [];
  let current = head.join('\n');
  let empty = head.length === 0;
  for (const line of lines) {
    if (!empty && current.length + 1 + line.length + tail.length > SECTION_TEXT_MAX - 3) {
      texts.push(`${current}${tail}`);
      current = line;
    } else current = empty ? line : `${current}\n${line}`;
    empty = false;
  }
  texts.push(`${current}${tail}`);
  return texts;
}

function tableRow(c: DigestCampaign): string {
  // Inside a code block a backtick would end the block early; the name is still escaped for mrkdwn.
  const name = c.campaign_id === null ? 'No campaign' : (c.campaign_name ?? c.campaign_id);
  return [
    // Padded before escaping: `&amp;` shows as one character, so the columns stay aligned.
    escapeMrkdwn(pad(truncate(name.replace(/`/g, "'").replace(/\s+/g, ' '), NAME_WIDTH), NAME_WIDTH)),
    lpad(`${c.handoffs}`, 5),
    lpad(`${c.accepted}`, 4),
    lpad(`${c.rejected}`, 4),
    lpad(`${c.pending}`, 4),
    lpad(percent(c.acceptance_rate), 5),
    lpad(averageRating(c.avg_rating), 6),
    lpad(percent(c.sales_ready_rate), 5),
    lpad(`${c.deals_won}`, 4),
    lpad(`${c.deals_lost}`, 4),
    `  ${revenue(c.revenue, ROW_CURRENCIES)}`,
  ].join(' ');
}

function reasonLine(c: DigestCampaign): string {
  const name = c.campaign_id === null ? '_No campaign_' : `*${escapedWithin(c.campaign_name ?? c.campaign_id, 60)}*`;
  const reasons = c.top_reject_reasons.map((r) => `${reasonLabel(r.reason)} (${r.count})`).join(', ');
  return `• ${name}: ${reasons}`;
}

function reasonLabel(code: string): string {
  return code in REASONS ? REASONS[code as ReasonCode] : escapeMrkdwn(code);
}

function field(label: string, value: string, change: string) {
  return fieldText(`*${label}*\n${value}${change ? `  _${change}_` : ''}`);
}

/**
 * Won amounts per currency, largest first: "$48,000 · €12,500"; "—" when none. Beyond `max` currencies, "+N more"
 * (a deal may be in any ISO currency, and Slack's text limits hold however many there are).
 */
export function revenue(amounts: DigestFigures['revenue'], max = TOTAL_CURRENCIES): string {
  const entries = Object.entries(amounts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (entries.length === 0) return NO_FIGURE;
  const shown = entries.slice(0, max).map(([currency, amount]) => formatMoney(amount, currency));
  const hidden = entries.length - shown.length;
  return [...shown, ...(hidden > 0 ? [`+${hidden} more`] : [])].join(' · ');
}

function signed(delta: number, text: string): string {
  if (delta > 0) return `▲ ${text}`;
  if (delta < 0) return `▼ ${text}`;
  return '= no change';
}

function countChange(now: number, before: number, what = ''): string {
  const delta = now - before;
  return signed(delta, `${Math.abs(delta)}${what ? ` ${what}` : ''} vs last week`);
}

function pointsChange(now: number | null, before: number | null): string {
  if (now === null || before === null) return before === null ? 'no data last week' : '';
  const delta = Math.round(now * 100) - Math.round(before * 100);
  return signed(delta, `${Math.abs(delta)} pts vs last week`);
}

function ratingChange(now: number | null, before: number | null): string {
  if (now === null || before === null) return before === null ? 'no data last week' : '';
  const delta = Math.round(now * 10) - Math.round(before * 10);
  return signed(delta, `${(Math.abs(delta) / 10).toFixed(1)} vs last week`);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function lpad(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/** "Nov 16 – Nov 22, 2026": `to` is exclusive, so the last day shown is the one before it. */
export function formatPeriod(fromIso: string, toIso: string, timeZone: string): string {
  return dayRange(new Date(fromIso), new Date(new Date(toIso).getTime() - 1), timeZone) ?? '';
}

/** Why someone not on DIGEST_VIEWERS cannot run /digest, and whom to ask. */
export function digestRefusal(viewers: readonly string[]): string {
  return (
    `:lock: /digest shows company revenue, so only ${mentionList(viewers)} may use it. ` +
    'Ask whoever runs Tandem to add you to DIGEST_VIEWERS if you need it.'
  );
}
