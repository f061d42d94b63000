import type { TopLevelSpec } from 'vega-lite';
import type { Db } from '../../db/database.js';
import { averageRating, localMidnight, localWeekStart, percent, truncate } from '../../slack/kit/index.js';
import { computeDigest, type Digest, type DigestOptions } from './queries.js';

/** How many weeks the weekly digest's chart shows, and how many campaigns beside the total. */
export const CHART_WEEKS = 8;
export const CHART_CAMPAIGNS = 5;

/** Okabe–Ito: told apart with the common colour-vision deficiencies; yellow left out (too faint on white). */
export const PALETTE = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00'];
/** An opaque off-white card: dark text on it reads the same in Slack's light and dark themes. */
export const CHART_BACKGROUND = '#F7F7F5';

export interface ChartWeek {
  /** The period of the week's digest (a week in the time zone, clipped to the range asked for). */
  from: string;
  to: string;
  /** The week's first day, e.g. `Nov 2`. */
  label: string;
}

export interface ChartPoint {
  handoffs: number;
  acceptance_rate: number | null;
  avg_rating: number | null;
}

export interface ChartSeries {
  /** The campaign's CRM id; null for the total. */
  campaign_id: string | null;
  label: string;
  /** One point per week, in the weeks' order. */
  points: ChartPoint[];
}

export interface ChartData {
  weeks: ChartWeek[];
  /** The total first, then the top campaigns by handoffs over the weeks. */
  series: ChartSeries[];
  timeZone: string;
}

/**
 * The weeks (Monday to Monday in `timeZone`) that overlap [from, to), each clipped to it. Without a range: the
 * last CHART_WEEKS whole weeks before the week `now` falls in.
 */
export function chartWeeks(timeZone: string, range: { from: Date; to: Date } | { now: Date }): Array<[Date, Date]> {
  const weeks: Array<[Date, Date]> = [];
  if ('now' in range) {
    const current = localWeekStart(range.now, timeZone);
    for (let k = CHART_WEEKS; k > 0; k--) {
      weeks.push([localMidnight(current, timeZone, -7 * k), localMidnight(current, timeZone, -7 * (k - 1))]);
    }
    return weeks;
  }
  const first = localWeekStart(range.from, timeZone);
  for (let k = 0; ; k++) {
    const start = localMidnight(first, timeZone, 7 * k);
    if (start >= range.to) return weeks;
    const end = localMidnight(first, timeZone, 7 * (k + 1));
    weeks.push([start < range.from ? range.from : start, end > range.to ? range.to : end]);
  }
}

/**
 * The chart's figures: one computeDigest per week (the function behind GET /api/digest, so the chart and the API
 * agree week by week), the total and the CHART_CAMPAIGNS campaigns with the most handoffs over all the weeks.
 */
export async function chartData(
  db: Db,
  weeks: Array<[Date, Date]>,
  options: DigestOptions & { timeZone: string },
): Promise<ChartData> {
  const digests: Digest[] = [];
  for (const [from, to] of weeks) digests.push(await computeDigest(db, from, to, options));
  const totals = new Map<string, { label: string; handoffs: number }>();
  for (const digest of digests) {
    for (const row of digest.campaigns) {
      if (!row.campaign_id) continue;
      const seen = totals.get(row.campaign_id) ?? { label: row.campaign_name ?? row.campaign_id, handoffs: 0 };
      seen.handoffs += row.handoffs;
      totals.set(row.campaign_id, seen);
    }
  }
  const top = [...totals.entries()]
    .filter(([, t]) => t.handoffs > 0)
    .sort(([, a], [, b]) => b.handoffs - a.handoffs || a.label.localeCompare(b.label))
    .slice(0, CHART_CAMPAIGNS);
  const point = (figures: ChartPoint | undefined): ChartPoint => ({
    handoffs: figures?.handoffs ?? 0,
    acceptance_rate: figures?.acceptance_rate ?? null,
    avg_rating: figures?.avg_rating ?? null,
  });
  const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: options.timeZone });
  return {
    weeks: weeks.map(([from, to]) => ({
      from: from.toISOString(),
      to: to.toISOString(),
      label: dayFormat.format(from),
    })),
    series: [
      { campaign_id: null, label: 'All campaigns', points: digests.map((d) => point(d.totals)) },
      ...top.map(([id, t]) => ({
        campaign_id: id,
        label: t.label,
        points: digests.map((d) => point(d.campaigns.find((row) => row.campaign_id === id))),
      })),
    ],
    timeZone: options.timeZone,
  };
}

/** Legend names must stay apart when truncated: a name repeated gets its id. */
function seriesLabels(series: ChartSeries[]): string[] {
  const short = series.map((s) => truncate(s.label, 28));
  return short.map((label, i) =>
    short.indexOf(label) === i ? label : truncate(`${label} (${series[i]?.campaign_id})`, 40),
  );
}

/**
 * The Vega-Lite spec: three panels over the same weeks, handoffs (grouped bars), acceptance rate and average rating
 * (lines with a marker shape per series, so colour is never the only cue), one legend for all three.
 */
export function chartSpec(data: ChartData): TopLevelSpec {
  const labels = seriesLabels(data.series);
  const weeks = data.weeks.map((w) => w.label);
  const values = data.series.flatMap((s, i) => s.points.map((p, w) => ({ series: labels[i], week: weeks[w], ...p })));
  // One legend for the three panels (colour and shape of the same field merge into it): configured once, below.
  const color = { field: 'series', type: 'nominal', scale: { domain: labels, range: PALETTE } } as const;
  const shape = { field: 'series', type: 'nominal', scale: { domain: labels } } as const;
  const x = { field: 'week', type: 'ordinal', sort: weeks, title: null, axis: { labelAngle: 0 } } as const;
  const first = data.weeks[0]?.label ?? '';
  const last = data.weeks.at(-1)?.label ?? '';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: CHART_BACKGROUND,
    padding: 16,
    title: {
      text: `Handoffs, acceptance and lead rating by week`,
      // Two short lines: headless Vega estimates text widths generously, and a long line would widen the image.
      subtitle: [
        `Weeks of ${first} – ${last}, starting Mondays (${data.timeZone})`,
        `All campaigns and the top ${data.series.length - 1} by handoffs`,
      ],
      anchor: 'start',
      fontSize: 17,
      subtitleFontSize: 12,
      subtitlePadding: 6,
      offset: 12,
    },
    config: {
      font: 'DejaVu Sans',
      view: { stroke: null },
      axis: {
        labelColor: '#333333',
        titleColor: '#333333',
        gridColor: '#DDDDDD',
        labelFontSize: 11,
        titleFontSize: 12,
      },
      legend: {
        orient: 'top',
        title: null,
        columns: 3,
        labelLimit: 220,
        labelColor: '#222222',
        labelFontSize: 12,
        symbolSize: 120,
      },
      title: { color: '#111111', subtitleColor: '#444444' },
    },
    data: { values },
    vconcat: [
      {
        width: 620,
        height: 150,
        mark: { type: 'bar' },
        encoding: {
          x,
          xOffset: { field: 'series', type: 'nominal', sort: labels },
          y: { field: 'handoffs', type: 'quantitative', title: 'Handoffs' },
          color,
          tooltip: [{ field: 'series' }, { field: 'handoffs' }],
        },
      },
      {
        width: 620,
        height: 110,
        mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: 'acceptance_rate',
            type: 'quantitative',
            title: 'Accepted',
            scale: { domain: [0, 1] },
            axis: { format: '.0%', tickCount: 5 },
          },
          color,
          shape,
        },
      },
      {
        width: 620,
        height: 110,
        mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: 'avg_rating',
            type: 'quantitative',
            title: 'Avg rating (1–5)',
            scale: { domain: [1, 5] },
            axis: { tickCount: 4 },
          },
          color,
          shape,
        },
      },
    ],
    spacing: 18,
    resolve: { scale: { color: 'shared', shape: 'shared', x: 'shared' } },
  } as TopLevelSpec;
}

/** What the chart shows, in words, for the image's alt text (Slack allows 2000 characters). */
export function chartAltText(data: ChartData): string {
  const [total, ...campaigns] = data.series;
  const weeks = data.weeks;
  if (!total || weeks.length === 0) return 'Chart of handoffs by week: no weeks in range.';
  const lastIndex = weeks.length - 1;
  const lastPoint = total.points[lastIndex];
  const sum = (s: ChartSeries) => s.points.reduce((n, p) => n + p.handoffs, 0);
  const parts = [
    `Chart of handoffs (bars), acceptance rate and average lead rating (lines) for the ${weeks.length} weeks of ` +
      `${weeks[0]?.label} to ${weeks[lastIndex]?.label}.`,
    `All campaigns: ${sum(total)} handoffs in all; the week of ${weeks[lastIndex]?.label} had ${lastPoint?.handoffs ?? 0} ` +
      `(${total.points[0]?.handoffs ?? 0} in the first week), ${percent(lastPoint?.acceptance_rate ?? null)} accepted, ` +
      `average rating ${averageRating(lastPoint?.avg_rating ?? null)}.`,
  ];
  if (campaigns.length > 0) {
    parts.push(
      `Top campaigns by handoffs: ${campaigns.map((c) => `${truncate(c.label, 60)} (${sum(c)})`).join(', ')}.`,
    );
  }
  return truncate(parts.join(' '), 2000);
}
