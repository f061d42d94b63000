/**
 * Benchmark (not a test): resident memory of the Tandem process after start and after 10k lead-handoff events (all
 * accepted and their cards delivered), on real PostgreSQL and on embedded PGlite. Target: < 200 MB on PostgreSQL.
 *
 *   npm run bench:rss
 */
import { readFileSync } from 'node:fs';
import type { AppProcess } from '../test/support/app-process.js';
import type { FakeSlack } from '../test/support/fake-slack.js';
import { CHANNELS } from '../test/support/harness.js';
import { startTandem } from './lib/apps.js';
import { buildTandem } from './lib/build.js';
import { type Cleanup, runBench } from './lib/cleanup.js';
import { createPostgresDatabase, tempDir } from './lib/databases.js';
import { expectAccepted, leadHandoff, sendLeadHandoff } from './lib/events.js';
import { closedLoop, keepAliveAgent } from './lib/load.js';
import { memoryOf } from './lib/processes.js';
import { print, table, writeSection } from './lib/report.js';
import { startFakeSlack, watchSlackCalls } from './lib/slack-watch.js';
import { verdict } from './lib/stats.js';

const EVENTS = 10_000;
/** Memory is read after each of these many events too, to show a trend rather than one point. */
const STEPS = 4;
const CONCURRENCY = 32;
/** Quiet time before each reading, so that it shows what stays rather than what a burst had in flight. */
const SETTLE_MS = 2_000;
const TARGET_MB = 200;
/**
 * The heap limit `npm start` (and the Dockerfile) give node, read from package.json so that the deployed rows measure
 * what is deployed. Without it V8 keeps the heap a burst grew (the live heap after a full GC is ~45 MB).
 */
const HEAP_FLAG = /--max-old-space-size=\d+/.exec(
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start,
)?.[0];

type Kind = 'PostgreSQL' | 'PGlite';

/** One app to measure: on which database, and run how. */
interface Variant {
  name: string;
  kind: Kind;
  /** The compiled build (what `npm start` runs) rather than tsx. */
  compiled: boolean;
  /** NODE_OPTIONS for the app, if any. */
  nodeOptions?: string;
  /** Whether the 200 MB target applies: the deployed form on PostgreSQL. */
  target: boolean;
  /** EVENTS, or 0 to read memory after start only. */
  events: number;
}

const VARIANTS: Variant[] = [
  {
    name: `PostgreSQL, \`npm start\` build (\`${HEAP_FLAG}\`)`,
    kind: 'PostgreSQL',
    compiled: true,
    nodeOptions: HEAP_FLAG,
    target: true,
    events: EVENTS,
  },
  {
    name: 'PostgreSQL, the same build without a heap limit',
    kind: 'PostgreSQL',
    compiled: true,
    target: false,
    events: EVENTS,
  },
  {
    name: `PGlite, \`npm start\` build (\`${HEAP_FLAG}\`)`,
    kind: 'PGlite',
    compiled: true,
    nodeOptions: HEAP_FLAG,
    target: false,
    events: EVENTS,
  },
  // After start only: what tsx adds is fixed (its loader thread, transformed sources), and 10k more events would
  // add minutes to a run whose length PGlite's ~20 ms of CPU per event already sets.
  {
    name: 'PostgreSQL, `node --import tsx src/main.ts`',
    kind: 'PostgreSQL',
    compiled: false,
    target: false,
    events: 0,
  },
];

interface Readings {
  variant: Variant;
  /** VmRSS after start, then after each step of events (MiB). */
  rss: number[];
  /** VmHWM at the end: the most it ever held. */
  peak: number;
  seconds: number;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** Resolves once `count()` (cards the fake Slack received) reaches `expected`. */
async function cardsDelivered(count: () => number, expected: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (count() < expected) {
    if (Date.now() > deadline) throw new Error(`only ${count()} of ${expected} cards delivered after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function sendEvents(app: AppProcess, label: string, from: number, count: number): Promise<void> {
  const agent = keepAliveAgent(CONCURRENCY);
  try {
    await closedLoop(CONCURRENCY, count, async (i) =>
      expectAccepted(await sendLeadHandoff(agent, app.url, leadHandoff(`${label}-${from + i}`, from + i))),
    );
  } finally {
    agent.destroy();
  }
}

/** One variant's readings, with its app and database gone afterwards. */
async function measure(
  parent: Cleanup,
  slack: FakeSlack,
  variant: Variant,
  label: string,
  main: string,
): Promise<Readings> {
  const cleanup = parent.scope(`clean up after ${variant.name}`);
  try {
    let cards = 0;
    cleanup.add(
      'stop watching Slack',
      watchSlackCalls(slack, (call) => {
        if (call.method === 'chat.postMessage' && call.args.channel === CHANNELS.SALES_CHANNEL) cards += 1;
      }),
    );
    const dataDir = tempDir(cleanup);
    const url = variant.kind === 'PostgreSQL' ? await createPostgresDatabase(cleanup) : undefined;
    // Unpaced, so that every card is delivered within the run and its outbox row is done with.
    const env = { SLACK_POST_RATE: '0', ...(variant.nodeOptions ? { NODE_OPTIONS: variant.nodeOptions } : {}) };
    const app = await startTandem(cleanup, slack, { url, dataDir }, env, variant.compiled ? main : undefined);
    const started = performance.now();
    await settle();
    const rss = [memoryOf(app.pid).rssMiB];
    const step = EVENTS / STEPS;
    for (let s = 0; s < variant.events / step; s++) {
      await sendEvents(app, label, s * step, step);
      await cardsDelivered(() => cards, (s + 1) * step);
      slack.reset(); // the fake's records are the bench's memory, not the app's; keep them flat anyway
      await settle();
      rss.push(memoryOf(app.pid).rssMiB);
      print(`${variant.name}: ${(s + 1) * step} events, RSS ${rss.at(-1)?.toFixed(0)} MiB`);
    }
    return { variant, rss, peak: memoryOf(app.pid).peakMiB, seconds: (performance.now() - started) / 1000 };
  } finally {
    await cleanup.run();
  }
}

const mib = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(0)} MiB`);
const underTarget = (value: number) => value * 2 ** 20 < TARGET_MB * 1e6;

function row({ variant, rss, peak }: Readings): string[] {
  const [start = Number.NaN] = rss;
  const end = variant.events ? rss.at(-1) : undefined;
  return [
    variant.name,
    mib(start),
    mib(end),
    variant.events ? rss.slice(1).map(mib).join(' → ') : '—',
    mib(peak),
    // The contract's two readings: after start, after 10k events.
    variant.target ? `< 200 MB: ${verdict(underTarget(start) && end !== undefined && underTarget(end))}` : '',
  ];
}

function report(results: Readings[]): void {
  writeSection({
    key: 'rss',
    title: 'Memory (RSS) of the Tandem process',
    command: 'npm run bench:rss',
    body: [
      `VmRSS of the Tandem child process (LOG_LEVEL=warn, \`SLACK_POST_RATE=0\`) from /proc/<pid>/status, ${SETTLE_MS / 1000} s after it starts serving and ${SETTLE_MS / 1000} s after each ${EVENTS / STEPS} lead-handoff events (concurrency ${CONCURRENCY}) have been accepted and all their cards delivered to the fake Slack; "peak" is VmHWM at the end. The target applies to the first two readings (after start, after 10k events) of the \`npm start\` build: src/ compiled by \`tsc -p tsconfig.build.json\` (into a temp dir) and run with \`node --enable-source-maps\`, as deployed. The tsx row shows what running from source adds; the heap-limit row shows how much of the rest is V8 keeping the heap it grew under load (the live heap after a full GC is ~45 MB: nothing accumulates). One run each, PostgreSQL's variants one after the other beside PGlite's (memory does not drift with the machine's load the way times do): ${results.map((r) => `${r.variant.name} ${r.seconds.toFixed(0)} s`).join(', ')}.`,
      '',
      table(
        [
          'app',
          'after start',
          `after ${EVENTS / 1000}k events`,
          `every ${EVENTS / STEPS / 1000}k events`,
          'peak',
          'target',
        ],
        results.map(row),
      ),
    ].join('\n'),
  });
}

/**
 * The variants of one database one after the other, with a fake Slack of their own. The two databases' lanes run
 * side by side: PGlite's 10k events take minutes on one core, and memory does not depend on how fast events come.
 */
async function runLane(cleanup: Cleanup, variants: Variant[], main: string): Promise<Readings[]> {
  const slack = await startFakeSlack(cleanup);
  const results: Readings[] = [];
  for (const variant of variants) {
    results.push(await measure(cleanup, slack, variant, `v${VARIANTS.indexOf(variant)}`, main));
  }
  return results;
}

runBench('bench:rss', async (cleanup) => {
  const main = buildTandem(cleanup);
  const lanes = (['PostgreSQL', 'PGlite'] as const).map((kind) => VARIANTS.filter((v) => v.kind === kind));
  const results = (await Promise.all(lanes.map((lane) => runLane(cleanup, lane, main)))).flat();
  report(VARIANTS.map((variant) => results.find((r) => r.variant === variant) as Readings));
});
