/**
 * The digest over any range (benchmark part of bench/digest.ts): a year, a quarter and a week of GET /api/digest,
 * the chart's 8-week trend and the chart's rendering, on the year of data, each checked against the facts-only
 * statement (the definition the rollups must reproduce) so a fast answer is also the right one.
 */
import assert from 'node:assert/strict';
import type { Db } from '../src/db/database.js';
import { chartData, chartSpec, chartWeeks } from '../src/features/digest/chart.js';
import { computeDigest, DIGEST_SETTINGS, type DigestOptions, digestStatement } from '../src/features/digest/queries.js';
import { renderChart } from '../src/features/digest/render.js';
import { replayScript, runPsql } from './digest-psql.js';
import { DATA_END } from './generate.js';

const DAY_MS = 24 * 3_600_000;
const WARMUPS = 2;

/** Ranges ending at 09:00 on the data's last Monday, as a dashboard asking "up to now" would: partial days included. */
const TO = new Date(DATA_END.getTime() + 9 * 3_600_000);
export const RANGES = [
  { label: 'year (365 days)', days: 365 },
  { label: 'quarter (91 days)', days: 91 },
  { label: 'week (7 days)', days: 7 },
] as const;
export const OPTIONS: DigestOptions = { slaHours: 24, now: TO };

export interface RangeFigures {
  label: string;
  /** Milliseconds of each measured run. */
  app: number[];
  psql: number[] | undefined;
  /** One run of the facts-only statement, the digest as it was computed before the rollups. */
  facts: number | undefined;
  /** What it computed (engines must agree). */
  digest: unknown;
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

async function repeat(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < WARMUPS + runs; round++) {
    const [time] = await timed(work);
    if (round >= WARMUPS) times.push(time);
  }
  return times;
}

/**
 * Each range (app and, given a URL, psql replaying the same statement), then the 8-week trend the chart reads
 * (8 weekly digests) and, with `facts`, one facts-only run per range, asserting the same digest.
 */
export async function benchRanges(
  db: Db,
  options: { runs: number; psqlUrl: string | undefined; facts: boolean },
): Promise<RangeFigures[]> {
  const results: RangeFigures[] = [];
  for (const { label, days } of RANGES) {
    const from = new Date(TO.getTime() - days * DAY_MS);
    const app = await repeat(options.runs, () => computeDigest(db, from, TO, OPTIONS));
    const digest = await computeDigest(db, from, TO, OPTIONS);
    let psql: number[] | undefined;
    if (options.psqlUrl) {
      // psql's own \timing: the server's work plus the transfer, without the app's driver and parsing.
      const script = replayScript(digestStatement(from, TO, OPTIONS).compile(db), [DIGEST_SETTINGS]);
      psql = [];
      for (let round = 0; round < WARMUPS + options.runs; round++) {
        const { ms } = runPsql(options.psqlUrl, script);
        if (round >= WARMUPS) psql.push(ms);
      }
    }
    let facts: number | undefined;
    if (options.facts) {
      const [time, reference] = await timed(() => computeDigest(db, from, TO, { ...OPTIONS, source: 'facts' }));
      assert.deepStrictEqual(digest, reference, `the rollups and the facts disagree: ${label}`);
      facts = time;
    }
    results.push({ label, app, psql, facts, digest });
  }
  const weeks = chartWeeks('UTC', { now: TO });
  const trend = await repeat(options.runs, () => chartData(db, weeks, { ...OPTIONS, timeZone: 'UTC' }));
  const digest = await chartData(db, weeks, { ...OPTIONS, timeZone: 'UTC' });
  results.push({
    label: '8-week trend (the chart’s 8 weekly digests)',
    app: trend,
    psql: undefined,
    facts: undefined,
    digest,
  });
  return results;
}

/** Milliseconds to draw the chart of the 8 weeks (Vega-Lite → SVG → PNG), from data already read. */
export async function benchRender(db: Db, runs: number): Promise<number[]> {
  const data = await chartData(db, chartWeeks('UTC', { now: TO }), { ...OPTIONS, timeZone: 'UTC' });
  return repeat(runs, () => renderChart(chartSpec(data)));
}
