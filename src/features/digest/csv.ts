import type { Digest, DigestFigures } from './queries.js';

/** The figures' columns, in the JSON's order; revenue becomes one `revenue_<CURRENCY>` column per currency. */
const FIGURES = [
  'handoffs',
  'accepted',
  'rejected',
  'pending',
  'acceptance_rate',
  'feedback_count',
  'avg_rating',
  'sales_ready_rate',
] as const satisfies ReadonlyArray<keyof DigestFigures>;

type Cell = string | number | null;

/**
 * The digest as CSV (RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line
 * break): one row per campaign, as in the JSON, then the totals (`row` says which; the "No campaign" row has empty
 * id and name). Numbers are written as JSON writes them, so rates stay exact fractions. Rejection reasons read
 * `code (count); …`. `sla_breaches` is on the totals row, `from` and `to` on every row so a file says its period.
 */
export function digestCsv(digest: Digest): string {
  const currencies = [
    ...new Set([digest.totals, ...digest.campaigns].flatMap((row) => Object.keys(row.revenue))),
  ].sort();
  const header = [
    'row',
    'campaign_id',
    'campaign_name',
    ...FIGURES,
    'top_reject_reasons',
    'deals_won',
    'deals_lost',
    ...currencies.map((code) => `revenue_${code}`),
    'sla_breaches',
    'from',
    'to',
  ];
  const line = (
    kind: 'campaign' | 'total',
    figures: DigestFigures,
    named: { id: string | null; name: string | null; reasons: string | null; sla: number | null },
  ): Cell[] => [
    kind,
    named.id,
    named.name,
    ...FIGURES.map((column) => figures[column]),
    named.reasons,
    figures.deals_won,
    figures.deals_lost,
    ...currencies.map((code) => figures.revenue[code] ?? null),
    named.sla,
    digest.from,
    digest.to,
  ];
  const rows: Cell[][] = [
    header,
    ...digest.campaigns.map((campaign) =>
      line('campaign', campaign, {
        id: campaign.campaign_id,
        name: campaign.campaign_name,
        reasons: campaign.top_reject_reasons.map(({ reason, count }) => `${reason} (${count})`).join('; '),
        sla: null,
      }),
    ),
    line('total', digest.totals, { id: null, name: null, reasons: null, sla: digest.sla_breaches }),
  ];
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/**
 * One field. Text a spreadsheet would run as a formula (starting with =, +, -, @, or a tab or carriage return that
 * some strip first) gets a leading apostrophe, so a campaign named `=HYPERLINK(…)` stays text.
 */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
