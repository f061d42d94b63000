/**
 * Benchmark (not a test), the digest figure: computeDigest for one week over a year of 1M handoffs, 1M feedback
 * rows, 100k deals and 2k campaigns, on the local PostgreSQL beside the same SQL replayed in psql, and on embedded
 * PGlite. Beside it, the query and schema from before the fix on the same data, a handoff insert under both schemas
 * (the write path), and the same before/after on a worst-case year where every campaign is active every week.
 * Writes the `digest` section of BENCHMARKS.md.
 *
 *   npx tsx bench/digest.ts [--runs 7] [--fresh] [--explain] [--skip-before] [--skip-stress] [--skip-pglite]
 *
 * The data is generated once per generator version, size and shape, and reused (bench/digest-data.ts); --fresh
 * rebuilds it. --explain prints EXPLAIN (ANALYZE, BUFFERS) of the statements, to see what dominates. The server is
 * BENCH_DATABASE_URL (default the local PostgreSQL), as a superuser: generation turns foreign-key triggers off.
 */
import assert from 'node:assert/strict';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { CompiledQuery } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from '../migrations/index.js';
import { type Db, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import {
  computeDigest,
  DIGEST_SETTINGS,
  type Digest,
  type DigestOptions,
  digestStatement,
} from '../src/features/digest/queries.js';
import { createLogger } from '../src/logger.js';
import { computeDigestBefore, digestStatementBefore } from './digest-before.js';
import { type Dataset, type Prepared, preparePglite, preparePostgres } from './digest-data.js';
import { hasPsql, replayScript, runPsql } from './digest-psql.js';
import { benchRanges, benchRender, RANGES, type RangeFigures } from './digest-ranges.js';
import { DATA_END, FULL_SIZE } from './generate.js';
import { type Cleanup, runBench } from './lib/cleanup.js';
import { PG_SERVER, tempDir } from './lib/databases.js';
import { median, print, table, writeSection } from './lib/report.js';
import { ms, ratio, verdict } from './lib/stats.js';

const TARGET_MS = 500;
const WARMUPS = 2;
const DAY_MS = 24 * 3_600_000;
/** The last migration before the fix: the "before" runs on the schema as it was then. */
const BEFORE_MIGRATION = '2026_11_23_005_channel_buckets';
/** Handoffs inserted (and rolled back) per write probe. */
const PROBE_INSERTS = 1_000;

const silent = createLogger('silent');

/** The week the scheduled digest would post on DATA_END (a Monday) at 09:00: the 7 days before it. */
const TO = DATA_END;
const FROM = new Date(DATA_END.getTime() - 7 * DAY_MS);
const OPTIONS: DigestOptions = { slaHours: 24, now: new Date(DATA_END.getTime() + 9 * 3_600_000) };

interface Series {
  /** Milliseconds of each measured run, in order. */
  runs: number[];
}

const med = (series: Series) => median(series.runs);
const list = (series: Series) => series.runs.map((run) => run.toFixed(0)).join(', ');

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

/**
 * `runs` rounds (after the warm-ups) of the app's digest and, given `replay`, of psql replaying its SQL. Their order
 * alternates, so neither always runs on the caches the other has just warmed.
 */
async function measure(
  runs: number,
  app: () => Promise<Digest>,
  replay: { url: string; script: string } | undefined,
): Promise<{ app: Series; psql: Series | undefined; digest: Digest }> {
  const appRuns: number[] = [];
  const psqlRuns: number[] = [];
  let digest: Digest | undefined;
  for (let round = 0; round < WARMUPS + runs; round++) {
    const steps = [
      async () => {
        const [time, value] = await timed(app);
        digest = value;
        if (round >= WARMUPS) appRuns.push(time);
      },
      async () => {
        if (!replay) return;
        const { ms: time } = runPsql(replay.url, replay.script);
        if (round >= WARMUPS) psqlRuns.push(time);
      },
    ];
    if (round % 2 === 1) steps.reverse();
    for (const step of steps) await step();
  }
  assert(digest);
  return { app: { runs: appRuns }, psql: replay ? { runs: psqlRuns } : undefined, digest };
}

class RollBack extends Error {}

/**
 * Median milliseconds of one handoff insert, the row the lead-handoff webhook writes, each its own statement as
 * there; all rolled back. It updates every index of handoffs, so it shows what an index change costs the write path.
 * A first, untimed batch warms the index pages these leads' entries go to: the first batch after the digest's runs
 * was up to half slower, under either schema.
 */
async function handoffInsertProbe(db: Db): Promise<number> {
  const leads = await db.selectFrom('leads').select('id').orderBy('crm_id').limit(PROBE_INSERTS).execute();
  const campaign = await db.selectFrom('campaigns').select('id').orderBy('crm_id').executeTakeFirstOrThrow();
  const batch = async (): Promise<number[]> => {
    const times: number[] = [];
    await db
      .transaction()
      .execute(async (trx) => {
        for (const [i, lead] of leads.entries()) {
          const [time] = await timed(() =>
            trx
              .insertInto('handoffs')
              .values({
                event_id: `bench-probe-${i}`,
                lead_id: lead.id,
                campaign_id: campaign.id,
                owner_slack_user_id: 'UREP0',
                occurred_at: new Date(),
              })
              .execute(),
          );
          times.push(time);
        }
        throw new RollBack();
      })
      .catch((err: unknown) => {
        if (!(err instanceof RollBack)) throw err;
      });
    return times;
  };
  await batch();
  return median(await batch());
}

function explain(label: string, url: string, script: string): void {
  print(`\n--- EXPLAIN (ANALYZE, BUFFERS): ${label}`);
  print(runPsql(url, script, { keepOutput: true }).output);
}

type Measured = Awaited<ReturnType<typeof measure>>;

interface PostgresResult {
  data: Prepared;
  after: Measured;
  before: Measured | undefined;
  /** Handoff insert medians (ms) under the schema after and before the fix, when probed. */
  write: { after: number; before: number } | undefined;
  /** Any range: a year, a quarter, a week and the chart's trend (production-like data only). */
  ranges: RangeFigures[] | undefined;
  /** Rendering the chart (ms per run). */
  render: number[] | undefined;
}

/**
 * One data set on PostgreSQL: the digest now (app and psql), then, unless `before` is off, the pre-fix digest on the
 * pre-fix schema (migrating down to it and back up, whatever happens), checking that both compute the same digest.
 */
async function benchPostgres(
  cleanup: Cleanup,
  label: string,
  dataset: Dataset,
  options: { runs: number; fresh: boolean; before: boolean; explain: boolean; probeWrites: boolean; ranges: boolean },
): Promise<PostgresResult> {
  const scope = cleanup.scope(`finish the ${label} data set`);
  try {
    const data = await preparePostgres(PG_SERVER, dataset, { fresh: options.fresh, scratchDir: tempDir(scope) });
    print(`${label}: PostgreSQL data ${describeData(data)}`);
    const handle = await openDatabase({ url: data.url, dataDir: tempDir(scope), logger: silent });
    scope.add('close the PostgreSQL pool', () => handle.close());
    const replay = (query: CompiledQuery, settings: string[]) =>
      psqlFound ? { url: data.url, script: replayScript(query, settings) } : undefined;

    await migrateToLatest(handle.db, silent);
    const afterQuery = digestStatement(FROM, TO, OPTIONS).compile(handle.db);
    const after = await measure(
      options.runs,
      () => computeDigest(handle.db, FROM, TO, OPTIONS),
      replay(afterQuery, [DIGEST_SETTINGS]),
    );
    print(`${label}: computeDigest ${ms(med(after.app))}${after.psql ? `, psql ${ms(med(after.psql))}` : ''}`);
    if (options.explain && psqlFound) {
      explain(`${label}, after`, data.url, replayScript(afterQuery, [DIGEST_SETTINGS], true));
    }
    const writeAfter = options.probeWrites ? await handoffInsertProbe(handle.db) : Number.NaN;
    const psqlUrl = psqlFound ? data.url : undefined;
    const ranges = options.ranges
      ? await benchRanges(handle.db, { runs: options.runs, psqlUrl, facts: true })
      : undefined;
    const render = options.ranges ? await benchRender(handle.db, options.runs) : undefined;
    if (ranges) print(`${label}: ranges ${ranges.map((r) => `${r.label} ${ms(median(r.app))}`).join(', ')}`);
    if (!options.before) return { data, after, before: undefined, write: undefined, ranges, render };

    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } });
    const down = await migrator.migrateTo(BEFORE_MIGRATION);
    if (down.error) throw down.error;
    let before: Measured | undefined;
    let writeBefore = Number.NaN;
    try {
      const beforeQuery = digestStatementBefore(FROM, TO, OPTIONS).compile(handle.db);
      before = await measure(
        options.runs,
        () => computeDigestBefore(handle.db, FROM, TO, OPTIONS),
        replay(beforeQuery, []),
      );
      print(`${label}: before the fix, computeDigest ${ms(med(before.app))}`);
      if (options.explain && psqlFound) explain(`${label}, before`, data.url, replayScript(beforeQuery, [], true));
      if (options.probeWrites) writeBefore = await handoffInsertProbe(handle.db);
    } finally {
      await migrateToLatest(handle.db, silent);
    }
    assert.deepStrictEqual(after.digest, before.digest, `the fix changed the digest (${label})`);
    if (!options.probeWrites) return { data, after, before, write: undefined, ranges, render };
    // Probed again now that the schema is back: "after" is the mean of the probes either side of "before", so load
    // that drifts in the meantime weighs on both figures alike.
    const writeAfterAgain = await handoffInsertProbe(handle.db);
    return {
      data,
      after,
      before,
      write: { before: writeBefore, after: (writeAfter + writeAfterAgain) / 2 },
      ranges,
      render,
    };
  } finally {
    await scope.run();
  }
}

const psqlFound = hasPsql();

runBench('digest', async (cleanup) => {
  const { values: flags } = parseArgs({
    options: {
      runs: { type: 'string', default: '7' },
      fresh: { type: 'boolean', default: false },
      'skip-before': { type: 'boolean', default: false },
      'skip-stress': { type: 'boolean', default: false },
      'skip-pglite': { type: 'boolean', default: false },
      explain: { type: 'boolean', default: false },
    },
  });
  const runs = Number(flags.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, not ${flags.runs}`);
  const command = ['npx tsx bench/digest.ts', ...process.argv.slice(2)].join(' ');
  const loadAtStart = os.loadavg()[0] ?? Number.NaN;
  if (!psqlFound) print('psql is not on the PATH: the psql baseline is left out');
  const common = { runs, fresh: flags.fresh, before: !flags['skip-before'], explain: flags.explain };

  const dataset: Dataset = { size: FULL_SIZE, seed: 1, campaignShape: 'waves' };
  const main = await benchPostgres(cleanup, 'production-like', dataset, { ...common, probeWrites: true, ranges: true });
  const stress = flags['skip-stress']
    ? undefined
    : await benchPostgres(
        cleanup,
        'every campaign active',
        { ...dataset, campaignShape: 'always-on' },
        { ...common, probeWrites: false, ranges: false },
      );

  // PGlite, embedded as Tandem runs without DATABASE_URL.
  let pglite: { data: Prepared; app: Series; ranges: RangeFigures[] } | undefined;
  if (!flags['skip-pglite']) {
    const data = await preparePglite(dataset, { fresh: flags.fresh });
    print(`PGlite data: ${describeData(data)}`);
    const embedded = await openDatabase({ url: undefined, dataDir: data.dir, logger: silent });
    cleanup.add('close PGlite', () => embedded.close());
    await migrateToLatest(embedded.db, silent);
    const measured = await measure(runs, () => computeDigest(embedded.db, FROM, TO, OPTIONS), undefined);
    // The facts-only reference is checked on PostgreSQL; here the figures must equal PostgreSQL's (below).
    const ranges = await benchRanges(embedded.db, { runs, psqlUrl: undefined, facts: false });
    await embedded.close();
    // The generator is deterministic across engines, so both must compute the same digest.
    assert.deepStrictEqual(measured.digest, main.after.digest, 'PGlite and PostgreSQL disagree on the digest');
    for (const [i, range] of ranges.entries()) {
      assert.deepStrictEqual(range.digest, main.ranges?.[i]?.digest, `PGlite and PostgreSQL disagree: ${range.label}`);
    }
    pglite = { data, app: measured.app, ranges };
    print(`PGlite: computeDigest ${ms(med(measured.app))}`);
  }

  const loadAtEnd = os.loadavg()[0] ?? Number.NaN;
  writeSection({
    key: 'digest',
    title: 'Weekly digest over a year of data',
    command,
    body: report({ runs, main, stress, pglite, loadAtStart, loadAtEnd }),
  });
});

/** The any-range table: each range on PostgreSQL (app, psql), PGlite, and the facts-only statement once. */
function rangesReport(
  ranges: RangeFigures[],
  pglite: RangeFigures[] | undefined,
  render: number[] | undefined,
): string[] {
  const rows = ranges.map((range, i) => {
    const app = median(range.app);
    const lite = pglite?.[i];
    return [
      range.label,
      `${ms(app)} (${range.app.map((t) => t.toFixed(0)).join(', ')})`,
      range.psql ? ms(median(range.psql)) : '',
      lite ? ms(median(lite.app)) : '',
      range.facts === undefined ? '' : ms(range.facts),
      `< ${TARGET_MS} ms on PostgreSQL: ${verdict(app < TARGET_MS)}`,
    ];
  });
  if (render) rows.push(['the chart drawn (Vega-Lite → SVG → PNG, 1400 px)', ms(median(render)), '', '', '', '']);
  return [
    `**Any range.** GET /api/digest for the ${RANGES.map((x) => x.days).join(', ')} days up to 09:00 on ` +
      `${DATA_END.toISOString().slice(0, 10)} (partial days at both ends, as "up to now" asks), and the chart's ` +
      `8-week trend (8 weekly digests). Whole UTC months, weeks and days are read from the rollups (migration ` +
      `2026_11_29_004, kept by triggers), the partial days from the facts. "Facts only" is one run of the same ` +
      `statement reading only the facts, as the digest did before the rollups; the bench checks both give the ` +
      `same digest for every range, and PGlite the same as PostgreSQL. Medians of ${ranges[0]?.app.length} runs ` +
      `after ${WARMUPS} warm-ups.`,
    table(['Range', 'PostgreSQL, app (runs)', 'psql', 'PGlite', 'Facts only, PostgreSQL', 'Target'], rows),
  ];
}

/** What the insert probe says about the write path, in words. */
function writeVerdict(write: PostgresResult['write']): string {
  if (!write) return '';
  const change = write.after / write.before - 1;
  const size = `${Math.abs(change * 100).toFixed(0)}% ${change > 0 ? 'slower' : 'faster'}`;
  // Batches of the same probe under the same schema differed by up to ~20% on this shared machine.
  return Math.abs(change) < 0.2
    ? `Measured: ${size} after, within the probe's batch-to-batch variation (~20%).`
    : `Measured: ${size} after; more than the probe's usual variation (~20%), so worth a second look.`;
}

function describeData({ generation, reused }: Prepared): string {
  const when = reused ? `reused; generated ${generation.at.slice(0, 10)}` : 'generated by this run';
  return `${generation.seconds} s to generate (${when})`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function report(r: {
  runs: number;
  main: PostgresResult;
  stress: PostgresResult | undefined;
  pglite: { data: Prepared; app: Series; ranges: RangeFigures[] } | undefined;
  loadAtStart: number;
  loadAtEnd: number;
}): string {
  const { after, before, write } = r.main;
  const { totals, campaigns } = after.digest;
  const size = FULL_SIZE;
  const appMs = med(after.app);
  const rows: string[][] = [
    ['`computeDigest`, PostgreSQL', ms(appMs), list(after.app), `< ${TARGET_MS} ms: ${verdict(appMs < TARGET_MS)}`],
  ];
  if (after.psql) {
    rows.push(['same SQL and parameters, psql `\\timing`', ms(med(after.psql)), list(after.psql), 'baseline']);
    rows.push(['`computeDigest` ÷ psql', ratio(appMs / med(after.psql)), '', '']);
  }
  if (r.pglite) {
    rows.push(['`computeDigest`, PGlite (embedded)', ms(med(r.pglite.app)), list(r.pglite.app), 'none']);
    rows.push(['PGlite ÷ PostgreSQL', ratio(med(r.pglite.app) / appMs), '', '']);
  }

  const parts = [
    `The weekly digest of ${FROM.toISOString().slice(0, 10)} – ${new Date(TO.getTime() - 1).toISOString().slice(0, 10)} ` +
      `(\`computeDigest\`, as the Monday job, /digest and GET /api/digest run it) over a year of production-like ` +
      `data: ${count(size.campaigns)} campaigns, ${count(size.leads)} leads, ${count(size.handoffs)} handoffs, ` +
      `${count(size.feedback)} feedback rows, ${count(size.deals)} deals (bench/generate.ts, seeded; campaigns run ` +
      `about six weeks each). That week holds ${count(totals.handoffs)} handoffs, ` +
      `${count(totals.feedback_count)} feedback rows and ${count(totals.deals_won + totals.deals_lost)} deals, in ` +
      `${count(campaigns.length)} campaign rows. Medians of ${r.runs} runs after ${WARMUPS} warm-ups; the app and ` +
      `psql take turns, run by run.${r.pglite ? ' PGlite computes the very same digest (the bench checks).' : ''}`,
    table(['Figure', 'Median', 'Runs (ms)', 'Target'], rows),
  ];

  if (r.main.ranges) parts.push(...rangesReport(r.main.ranges, r.pglite?.ranges, r.main.render));

  const beforeRows: string[][] = [];
  const compare = (label: string, result: PostgresResult | undefined) => {
    if (!result?.before) return;
    const [b, a] = [med(result.before.app), med(result.after.app)];
    const rowsNote = `${count(result.after.digest.campaigns.length)} campaign rows`;
    beforeRows.push([`\`computeDigest\`, ${label} (${rowsNote})`, ms(b), ms(a), ratio(b / a)]);
    if (result.before.psql && result.after.psql) {
      const [pb, pa] = [med(result.before.psql), med(result.after.psql)];
      beforeRows.push([`same SQL in psql, ${label}`, ms(pb), ms(pa), ratio(pb / pa)]);
    }
  };
  compare('production-like', r.main);
  compare('every campaign active all year', r.stress);
  if (write) {
    beforeRows.push([
      'one handoff insert (webhook write path)',
      ms(write.before),
      ms(write.after),
      ratio(write.before / write.after),
    ]);
  }
  if (before) {
    parts.push(
      `**Before and after the fix**, on the same data in the same run. Before: the digest query of 338dfab on the ` +
        `schema before migration 006 (the bench migrates down to it and back up). Each pair computes the same ` +
        `digest (the bench checks). "Every campaign active" is the same year with all 2,000 campaigns running all ` +
        `year (this generator's first version did that): the worst case for the per-campaign part of the query. ` +
        `The insert figure is the median of ${count(PROBE_INSERTS)} single-row handoff inserts (rolled back), under the old ` +
        `schema between two probes under the new one.`,
      table(['Figure', 'Before', 'After', 'Before ÷ after'], beforeRows),
    );
    if (r.stress) {
      const stressMs = med(r.stress.after.app);
      parts.push(
        `Every campaign active, after the fix: ${ms(stressMs)} (runs ${list(r.stress.after.app)}), target ` +
          `${verdict(stressMs < TARGET_MS)}.`,
      );
    }
  }

  parts.push(
    [
      '**What dominated, and the fix.** From `npx tsx bench/digest.ts --explain` (EXPLAIN (ANALYZE, BUFFERS) of ' +
        "each statement; these shares are from the run of 2026-11-23): the old statement's ~400 ms on the " +
        'production-like week split into three parts of about 100 ms each, and with every campaign active its final ' +
        'join took ~1.4 s of ~1.9 s.',
      '',
      '- The final join of the per-source figures matched rows on `campaign_id is not distinct from` (null is the ' +
        '"No campaign" row), which PostgreSQL cannot hash: five joins compared every campaign row with every other, ' +
        'which grows with the square of the campaigns in the digest (1.1M join-filter rows on the production-like ' +
        'week, 16M with every campaign active). The figures are now merged by one `GROUP BY (is_total, ' +
        'campaign_id)`, which puts nulls in one group (src/features/digest/queries.ts).',
      "- Attributing each feedback row to its lead's most recent handoff is one probe of " +
        '`handoffs_lead_recent_idx` per row (~19k a week), each also reading a heap page for `campaign_id`. ' +
        'Migration 006 rebuilds that index with `include (campaign_id)`: the probes are index-only scans. They ' +
        'are now most of what is left (~120 of ~190 ms).',
      "- The statement's estimated cost, mostly those probes, is above `jit_above_cost` (100k), so PostgreSQL " +
        'spent ~110 ms compiling it with JIT, which does not speed up index probes. computeDigest now sets ' +
        '`jit = off` for its transaction.',
      `- Write path: 006 replaces an index rather than adding one (same key, 16 bytes more per entry), so a handoff ` +
        `insert updates as many indexes as before. ${writeVerdict(r.main.write)} Since migration 2026_11_29_004 the ` +
        `"after" figure also holds its triggers' work (below): locking the lead, three rollup upserts, and moving ` +
        `the lead's feedback and campaign-less deals when the insert changes its latest campaign, as every probe ` +
        `insert does (each is the lead's newest handoff). That is the price of any range being fast: a few ` +
        `milliseconds a webhook.`,
      '- Any range: over a year the facts-only statement attributes ~1M feedback rows (one index probe each) and ' +
        'aggregates ~1M handoffs, hence seconds. Migration 2026_11_29_004 keeps rollups per UTC day, week and month ' +
        '(handoffs by status and reason, feedback by the campaign of the lead’s latest handoff, deals with their own ' +
        'campaign) in the same transactions as the facts, by statement-level triggers; a handoff that changes which ' +
        'handoff is a lead’s latest moves that lead’s feedback between campaigns. EXPLAIN of the year then showed ' +
        '~340k daily rows and the ~20k campaign-less deals’ attribution dominating: hence weekly and monthly grains, ' +
        'and deals named by lead id rolled up too (moved with the lead’s feedback); only the ~5k deals named by ' +
        'email alone are attributed when read. The handoff insert probe above includes the triggers’ work.',
    ].join('\n'),
  );

  const generation = [
    `PostgreSQL ${describeData(r.main.data)}`,
    ...(r.stress ? [`every campaign active ${describeData(r.stress.data)}`] : []),
    ...(r.pglite ? [`PGlite ${describeData(r.pglite.data)}`] : []),
  ];
  parts.push(
    `Data: ${generation.join('; ')}. The bench keeps each data set (\`tandem_bench_digest_<hash>\` on the server, ` +
      `the same name under the temp dir for PGlite) and reuses it while the generator version, size and shape ` +
      `match; \`--fresh\` rebuilds. Load average (1 min) ${r.loadAtStart.toFixed(1)} at the start and ` +
      `${r.loadAtEnd.toFixed(1)} at the end, on ${os.availableParallelism()} cores shared with other work: absolute ` +
      `times drift, the ratios come from the same run.`,
  );
  return parts.join('\n\n');
}
