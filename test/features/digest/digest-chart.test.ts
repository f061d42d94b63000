import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ChartData,
  chartAltText,
  chartData,
  chartSpec,
  chartWeeks,
  PALETTE,
} from '../../../src/features/digest/chart.js';
import { weeklyDigestJob } from '../../../src/features/digest/job.js';
import type { Digest } from '../../../src/features/digest/queries.js';
import { CHART_WIDTH_PX, renderChart } from '../../../src/features/digest/render.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { CHANNELS, DIGEST_API_TOKEN, SIGNING_SECRET } from '../../support/harness.js';
import { decodePng, pixelDifference } from '../../support/png.js';
import { sendCommand } from '../../support/slack-requests.js';
import { seedDigestWorld, TO } from './digest-world.js';

const GOLDEN = new URL('./chart.golden.png', import.meta.url);

/** A fixed chart: 8 weeks, the total and five campaigns, one with a long name. */
function fixedData(): ChartData {
  const weeks = Array.from({ length: 8 }, (_, i) => {
    const from = new Date(Date.UTC(2026, 9, 5 + 7 * i));
    return { from: from.toISOString(), to: new Date(from.getTime() + 7 * 864e5).toISOString(), label: `W${i + 1}` };
  });
  const names = [
    'All campaigns',
    'Q4 Webinar series for enterprise buyers',
    'Paid search',
    'Trade show',
    'Partners',
    'News',
  ];
  return {
    timeZone: 'UTC',
    weeks,
    series: names.map((label, s) => ({
      campaign_id: s ? `C${s}` : null,
      label,
      points: weeks.map((_, w) => ({
        handoffs: s ? 40 - s * 6 + w : 150 + w * 5,
        acceptance_rate: w === 3 && s === 5 ? null : 0.2 + 0.05 * s + 0.02 * w,
        avg_rating: 2 + s * 0.4 + w * 0.05,
      })),
    })),
  };
}

describe('the digest chart', () => {
  it('covers the 8 whole weeks before this one, Monday to Monday in the digest’s time zone', () => {
    // Monday 30 November, 08:00 in Los Angeles: this week began there at 00:00 PST (08:00 UTC).
    const weeks = chartWeeks('America/Los_Angeles', { now: new Date('2026-11-30T16:00:00Z') });
    expect(weeks).toHaveLength(8);
    expect(weeks[0]?.[0].toISOString()).toBe('2026-10-05T07:00:00.000Z'); // PDT
    expect(weeks.at(-1)?.map((d) => d.toISOString())).toEqual(['2026-11-23T08:00:00.000Z', '2026-11-30T08:00:00.000Z']);
    // The week across the end of daylight saving time is 169 hours long, as people count a week.
    expect(weeks.map(([from, to]) => (to.getTime() - from.getTime()) / 3_600_000)).toContain(169);
    const clipped = chartWeeks('UTC', { from: new Date('2026-10-07T00:00:00Z'), to: new Date('2026-10-20T00:00:00Z') });
    expect(clipped.map(([a, b]) => [a.toISOString().slice(0, 10), b.toISOString().slice(0, 10)])).toEqual([
      ['2026-10-07', '2026-10-12'],
      ['2026-10-12', '2026-10-19'],
      ['2026-10-19', '2026-10-20'],
    ]);
  });

  it('plots every figure it is given, labelled, in a colour-blind-safe palette with shapes as a second cue', () => {
    const data = fixedData();
    const spec = chartSpec(data) as unknown as {
      title: { text: string; subtitle: string[] };
      data: { values: Array<Record<string, unknown>> };
      vconcat: Array<{
        mark: { type: string } | string;
        encoding: Record<string, { title?: string; scale?: unknown }>;
      }>;
    };
    expect(spec.title.text).toBe('Handoffs, acceptance and lead rating by week');
    expect(spec.title.subtitle.join(' ')).toContain('Weeks of W1 – W8');
    expect(spec.data.values).toHaveLength(6 * 8);
    expect(spec.data.values[0]).toEqual({
      series: 'All campaigns',
      week: 'W1',
      handoffs: 150,
      acceptance_rate: 0.2,
      avg_rating: 2,
    });
    expect(spec.data.values.find((v) => v.series === 'News' && v.week === 'W4')?.acceptance_rate).toBeNull();
    expect(spec.vconcat.map((panel) => (panel.mark as { type: string }).type)).toEqual(['bar', 'line', 'line']);
    expect(spec.vconcat.map((panel) => panel.encoding.y?.title)).toEqual(['Handoffs', 'Accepted', 'Avg rating (1–5)']);
    expect(spec.vconcat[1]?.encoding.color?.scale).toEqual({ domain: expect.any(Array), range: PALETTE });
    expect(spec.vconcat[1]?.encoding.shape).toBeDefined();
    expect(chartAltText(data)).toContain(
      'the week of W8 had 185 (150 in the first week), 34% accepted, average rating 2.4',
    );
    expect(chartAltText(data)).toContain('Q4 Webinar series for enterprise buyers (300)');
  });

  it('renders a PNG of the expected size that looks like the approved one', async () => {
    const png = await renderChart(chartSpec(fixedData()));
    const image = decodePng(png);
    expect(image.width).toBe(CHART_WIDTH_PX);
    expect(image.height).toBe(1268);
    if (!existsSync(GOLDEN) || process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, png);
    // A tolerance, not identity: anti-aliasing may differ a little between resvg builds.
    expect(pixelDifference(image, decodePng(readFileSync(GOLDEN)))).toBeLessThan(0.01);
  }, 30_000);
});

describe.each(DATABASE_KINDS)('the digest chart on %s', (kind) => {
  const t = useTestApp(kind);
  const files = () => [...t.slack.files.values()];
  const digestPosts = () =>
    t.slack.okCallsOf('chat.postMessage').filter((call) => call.args.channel === CHANNELS.DIGEST_CHANNEL);

  it('uploads the chart into the weekly digest’s thread with Slack’s three-step flow', async () => {
    await seedDigestWorld(t.app.tandem.deps.db);
    await weeklyDigestJob(t.app.tandem.deps).run(TO);
    const [post] = await t.slack.waitFor(() => digestPosts().length > 0 && digestPosts(), 5_000, 'the digest');
    const [file] = await t.slack.waitFor(() => files().some((f) => f.completed) && files(), 10_000, 'the chart');
    expect(file?.completed).toMatchObject({ channel_id: CHANNELS.DIGEST_CHANNEL, thread_ts: post?.ts });
    const image = decodePng(file?.bytes as Buffer);
    expect(image.width).toBe(CHART_WIDTH_PX);
    const ticket = t.slack.okCallsOf('files.getUploadURLExternal')[0];
    expect(String(ticket?.args.alt_text)).toMatch(/All campaigns: \d+ handoffs in all; the week of Oct 5 had 12 /);
  }, 30_000);

  it('plots, week by week, exactly what GET /api/digest says for those weeks', async () => {
    await seedDigestWorld(t.app.tandem.deps.db);
    const weeks = chartWeeks('UTC', { now: new Date('2026-10-19T09:00:00Z') });
    const data = await chartData(t.app.tandem.deps.db, weeks, { slaHours: 24, timeZone: 'UTC' });
    expect(data.series.map((s) => s.campaign_id)).toEqual([null, 'CMP-A', 'CMP-B', 'CMP-C']);
    for (const [w, week] of data.weeks.entries()) {
      const res = await fetch(`${t.app.url}/api/digest?from=${week.from}&to=${week.to}`, {
        headers: { authorization: `Bearer ${DIGEST_API_TOKEN}` },
      });
      const digest = (await res.json()) as Digest;
      const pick = (f: { handoffs: number; acceptance_rate: number | null; avg_rating: number | null }) => ({
        handoffs: f.handoffs,
        acceptance_rate: f.acceptance_rate,
        avg_rating: f.avg_rating,
      });
      expect(data.series[0]?.points[w]).toEqual(pick(digest.totals));
      for (const series of data.series.slice(1)) {
        const row = digest.campaigns.find((c) => c.campaign_id === series.campaign_id);
        expect(series.points[w]).toEqual(row ? pick(row) : { handoffs: 0, acceptance_rate: null, avg_rating: null });
      }
    }
  });

  it('posts the text digest on time when the upload fails, and retries the upload', async () => {
    await seedDigestWorld(t.app.tandem.deps.db);
    t.slack.fail('files.getUploadURLExternal', { kind: 'http', status: 500 });
    t.slack.fail('files.completeUploadExternal', { kind: 'http', status: 503 });
    await weeklyDigestJob(t.app.tandem.deps).run(TO);
    await t.slack.waitFor(() => digestPosts().length === 1, 5_000, 'the digest');
    await t.slack.waitFor(() => files().some((f) => f.completed), 20_000, 'the chart, retried');
    expect(t.slack.callsOf('files.getUploadURLExternal').length).toBe(3);
  }, 40_000);

  it('posts the text digest when the chart cannot be drawn, and says so in the log', async () => {
    await seedDigestWorld(t.app.tandem.deps.db);
    const broken = { render: () => Promise.reject(new Error('no font')), retryDelaysMs: [10] };
    await weeklyDigestJob(t.app.tandem.deps, [20], broken).run(TO);
    await t.slack.waitFor(() => digestPosts().length === 1, 5_000, 'the digest');
    expect(t.app.rawLogs.join('\n')).toContain('weekly digest chart could not be drawn');
    expect(t.slack.callsOf('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('shows /digest’s caller the chart privately, as an image of the uploaded file', async () => {
    await sendCommand(t.app.url, SIGNING_SECRET, { command: '/digest', response_url: t.slack.responseUrl('d-1') });
    const replies = () => t.slack.responses.filter((r) => r.id === 'd-1');
    await t.slack.waitFor(() => replies().length === 2, 15_000, 'the text and the chart');
    const [image] = (replies()[1]?.body.blocks ?? []) as Array<{
      type: string;
      slack_file: { id: string };
      alt_text: string;
    }>;
    expect(image).toMatchObject({ type: 'image', alt_text: expect.stringContaining('Chart of handoffs') });
    const file = t.slack.files.get(image?.slack_file.id ?? '');
    expect(file?.completed).toMatchObject({ channel_id: undefined });
    expect(replies()[1]?.body.response_type).toBe('ephemeral');
  }, 30_000);

  it('gives a dashboard the chart as a PNG, behind the API’s token', async () => {
    await seedDigestWorld(t.app.tandem.deps.db);
    const url = `${t.app.url}/api/digest/chart.png?from=2026-09-28T00:00:00Z&to=2026-10-12T00:00:00Z`;
    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${DIGEST_API_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(decodePng(Buffer.from(await res.arrayBuffer())).width).toBe(CHART_WIDTH_PX);
    const bad = await fetch(`${t.app.url}/api/digest/chart.png?from=nope`, {
      headers: { authorization: `Bearer ${DIGEST_API_TOKEN}` },
    });
    expect(bad.status).toBe(400);
  }, 30_000);
});
