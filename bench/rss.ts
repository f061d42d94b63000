/**
 * Benchmark (not a test): resident memory of the Tandem process after start and after 10k lead-handoff events (all
 * accepted and their cards delivered), on real PostgreSQL and on embedded PGlite, and how long `npm start` takes to be
 * ready. Targets: < 200 MB on PostgreSQL; on PGlite < 300 MB after a first start and after a restart, < 350 MB after
 * 10k events; `npm start` ready in < 3 s with nothing changed since the last build.
 *
 *   npm run bench:rss
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { AppProcess } from '../test/support/app-process.js';
import type { FakeSlack } from '../test/support/fake-slack.js';
import { CHANNELS } from '../test/support/harness.js';
import { startTandem, tandemEnv } from './lib/apps.js';
import { buildCheckout, buildTandem } from './lib/build.js';
import { type Cleanup, runBench } from './lib/cleanup.js';
import { createPostgresDatabase, tempDir } from './lib/databases.js';
import { expectAccepted, leadHandoff, sendLeadHandoff } from './lib/events.js';
import { closedLoop, keepAliveAgent } from './lib/load.js';
import { memoryOf, secondsToReady } from './lib/processes.js';
import { median, print, table, writeSection } from './lib/report.js';
import { startFakeSlack, watchSlackCalls } from './lib/slack-watch.js';
import { verdict } from './lib/stats.js';

const EVENTS = 10_000;
/** Memory is read after each of these many events too, to show a trend rather than one point. */
const STEPS = 4;
const CONCURRENCY = 32;
/** Quiet time before each reading, so that it shows what stays rather than what a burst had in flight. */
const SETTLE_MS = 2_000;
const TARGET_MB = 200;
/** PGlite's targets (MB): after a first start on a new DATA_DIR and after a restart on it; after 10k events. */
const PGLITE_START_MB = 300;
const PGLITE_EVENTS_MB = 350;
/** `npm start` until /readyz answers 200 (seconds), with nothing changed since the last build. */
const READY_S = 3;
/** Ready times are medians over this many rounds, each with a new DATA_DIR or database. */
const READY_ROUNDS = 3;
/** What `npm start` runs once its prestart build is done, read from package.json. */
const START_SCRIPT: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts
  .start;
/**
 * The heap limits `npm start` (and the Dockerfile) give node, so that the deployed rows measure what is deployed.
 * Without them V8 keeps the heap a burst grew (the live heap after a full GC is ~45 MB).
 */
const HEAP_FLAGS = START_SCRIPT.match(/--max-(old|semi)-space-size=\d+/g)?.join(' ');

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
  /**
   * Started first on a new DATA_DIR, read and stopped, then measured from a restart on the same one (PGlite's first
   * start initialises the directory; the contract covers both starts).
   */
  restart?: boolean;
}

const VARIANTS: Variant[] = [
  {
    name: `PostgreSQL, \`npm start\` build (\`${HEAP_FLAGS}\`)`,
    kind: 'PostgreSQL',
    compiled: true,
    nodeOptions: HEAP_FLAGS,
    target: true,
    events: EVENTS,
  },
  {
    name: 'PostgreSQL, the same build without heap limits',
    kind: 'PostgreSQL',
    compiled: true,
    target: false,
    events: EVENTS,
  },
  {
    name: `PGlite, \`npm start\` build (\`${HEAP_FLAGS}\`)`,
    kind: 'PGlite',
    compiled: true,
    nodeOptions: HEAP_FLAGS,
    target: false,
    events: EVENTS,
    restart: true,
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
  /** A `restart` variant's first start: VmRSS after it, its VmHWM, and its initdb helper's peak as Tandem logs it. */
  first?: { rss: number; peak: number; helperPeak: number | undefined };
  /** VmRSS after (re)start, then after each step of events (MiB). */
  rss: number[];
  /** VmHWM at the end: the most it ever held. */
  peak: number;
  seconds: number;
  /** Events sent again after a 503. */
  retried: number;
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

/** Attempts at one event while Tandem answers 503 (database unavailable: it asks the sender to retry). */
const ATTEMPTS = 5;

/**
 * Sends `count` events; resolves to how many 503s it retried. On a loaded machine a burst of 32 at start-up can wait
 * longer than the pool's connect timeout: a webhook sender would retry, and memory does not depend on it.
 */
async function sendEvents(app: AppProcess, label: string, from: number, count: number): Promise<number> {
  const agent = keepAliveAgent(CONCURRENCY);
  let retried = 0;
  try {
    await closedLoop(CONCURRENCY, count, async (i) => {
      const event = leadHandoff(`${label}-${from + i}`, from + i);
      for (let attempt = 1; ; attempt++) {
        const reply = await sendLeadHandoff(agent, app.url, event);
        if (reply.status !== 503 || attempt === ATTEMPTS) return expectAccepted(reply);
        retried += 1;
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    });
    return retried;
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
    const compiled = variant.compiled ? main : undefined;
    const started = performance.now();
    let first: Readings['first'];
    if (variant.restart) {
      // At info level, for the one line that reports the initdb helper's peak (start-up logs a handful of lines).
      const app = await startTandem(cleanup, slack, { url, dataDir }, { ...env, LOG_LEVEL: 'info' }, compiled);
      await settle();
      const { rssMiB, peakMiB } = memoryOf(app.pid);
      const helperPeak = app.logged('embedded database initialised')[0]?.helperPeakMiB;
      first = { rss: rssMiB, peak: peakMiB, helperPeak: typeof helperPeak === 'number' ? helperPeak : undefined };
      await app.stop();
      print(`${variant.name}: first start ${mib(rssMiB)}, then restarting on the same DATA_DIR`);
    }
    const app = await startTandem(cleanup, slack, { url, dataDir }, env, compiled);
    await settle();
    const rss = [memoryOf(app.pid).rssMiB];
    let retried = 0;
    const step = EVENTS / STEPS;
    for (let s = 0; s < variant.events / step; s++) {
      retried += await sendEvents(app, label, s * step, step);
      await cardsDelivered(() => cards, (s + 1) * step);
      slack.reset(); // the fake's records are the bench's memory, not the app's; keep them flat anyway
      await settle();
      rss.push(memoryOf(app.pid).rssMiB);
      print(`${variant.name}: ${(s + 1) * step} events, RSS ${rss.at(-1)?.toFixed(0)} MiB`);
    }
    const elapsed = (performance.now() - started) / 1000;
    return { variant, first, rss, peak: memoryOf(app.pid).peakMiB, seconds: elapsed, retried };
  } finally {
    await cleanup.run();
  }
}

const mib = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(0)} MiB`);
/** Targets are in MB (10^6 bytes), readings in MiB. */
const under = (value: number | undefined, targetMb: number) => value !== undefined && value * 2 ** 20 < targetMb * 1e6;

function row({ variant, rss, peak }: Readings): string[] {
  const [start = Number.NaN] = rss;
  const end = variant.events ? rss.at(-1) : undefined;
  return [
    variant.restart ? `${variant.name}, restarted on its DATA_DIR` : variant.name,
    mib(start),
    mib(end),
    variant.events ? rss.slice(1).map(mib).join(' → ') : '—',
    mib(peak),
    // The contract's two readings: after start, after 10k events.
    variant.target ? `< ${TARGET_MB} MB: ${verdict(under(start, TARGET_MB) && under(end, TARGET_MB))}` : '',
  ];
}

/** The PGlite contract's readings, one per row, each beside its target. */
function pgliteRows({ first, rss, peak }: Readings): string[][] {
  const [restart, ...steps] = rss;
  const end = steps.at(-1);
  const target = (value: number | undefined, mb: number) => `< ${mb} MB: ${verdict(under(value, mb))}`;
  return [
    ['after a first start on a new DATA_DIR', mib(first?.rss), target(first?.rss, PGLITE_START_MB)],
    ['after a restart on the same DATA_DIR', mib(restart), target(restart, PGLITE_START_MB)],
    [`after ${EVENTS / 1000}k events (from the restart)`, mib(end), target(end, PGLITE_EVENTS_MB)],
    ['peak of the restarted process, start and events', mib(peak), ''],
    ['peak of the first-start process', mib(first?.peak), ''],
    [
      'peak of the first start’s initdb helper process (exits before Tandem opens the database)',
      mib(first?.helperPeak),
      '',
    ],
  ];
}

/** Ready times of one database and command: the first start on a new DATA_DIR or database, then the next on it. */
interface ReadyTimes {
  kind: Kind;
  /** As the report shows it. */
  command: string;
  spawn: { command: string; args: string[] };
  first: number[];
  next: number[];
}

const seconds = (values: number[]) =>
  `${median(values).toFixed(1)} s (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`;

function readyRow({ kind, command, first, next }: ReadyTimes): string[] {
  const met = (values: number[]) => verdict(median(values) < READY_S);
  return [
    kind,
    command,
    seconds(first),
    seconds(next),
    command === '`npm start`' ? `< ${READY_S} s: first ${met(first)}, next ${met(next)}` : '',
  ];
}

function report(results: Readings[], ready: { times: ReadyTimes[]; load: number[] }): void {
  const pglite = results.find((r) => r.variant.restart);
  writeSection({
    key: 'rss',
    title: 'Memory (RSS) of the Tandem process',
    command: 'npm run bench:rss',
    body: [
      `VmRSS of the Tandem child process (LOG_LEVEL=warn, \`SLACK_POST_RATE=0\`) from /proc/<pid>/status, ${SETTLE_MS / 1000} s after it starts serving and ${SETTLE_MS / 1000} s after each ${EVENTS / STEPS} lead-handoff events (concurrency ${CONCURRENCY}) have been accepted and all their cards delivered to the fake Slack; "peak" is VmHWM at the end. The targets apply to the \`npm start\` build: src/ compiled by \`tsc -p tsconfig.build.json\` (into a temp dir) and run with \`node --enable-source-maps\` and npm start's heap limits, as deployed. On PostgreSQL the target (< ${TARGET_MB} MB) applies to the first two readings. The PGlite build (compiled by tsc alone, so without the template \`npm run build\` makes) is started first on a new DATA_DIR, where it makes the template in an initdb helper process and copies it (at LOG_LEVEL=info, for the line that reports the helper's peak), read, stopped, and restarted on the same DATA_DIR for the rest. The tsx row shows what running from source adds; the row without heap limits shows how much of the rest is V8 keeping the heap it grew under load (the live heap after a full GC is ~45 MB: nothing accumulates). One run each, PostgreSQL's variants one after the other beside PGlite's (memory does not drift with the machine's load the way times do): ${results.map((r) => `${r.variant.name} ${r.seconds.toFixed(0)} s${r.retried ? ` (${r.retried} events sent again after a 503)` : ''}`).join(', ')}.`,
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
      '',
      ...(pglite ? [table(['PGlite, `npm start` build', 'RSS', 'target'], pgliteRows(pglite)), ''] : []),
      '### Time to ready',
      '',
      `From spawning the command in a checkout of the working tree (its files, not ignored ones, copied to a temp dir with node_modules linked, and built there once with \`npm run build\`: nothing changed since the last build) until \`GET /readyz\` answers 200, with PORT free, DATA_DIR a new temp dir and, on PostgreSQL, a new database on the local server. "First" is that first start (on PGlite the directory copied from the template \`npm run build\` made, then migrated; on PostgreSQL the database migrated), "next" a second start on the same one right after the first is stopped. \`npm start\` includes its prestart build; the second command is what it runs after that. Median (min–max) of ${READY_ROUNDS} rounds, run after the memory readings, one at a time; 1-minute load average during these runs ${Math.min(...ready.load).toFixed(1)}–${Math.max(...ready.load).toFixed(1)} on ${os.availableParallelism()} cores shared with other work.`,
      '',
      table(['database', 'command', 'first start', 'next start', 'target'], ready.times.map(readyRow)),
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

/**
 * `npm start` and the command it runs, timed to ready on each database: a first start on a new DATA_DIR or database,
 * then a second on the same one. Rounds take turns over databases and commands, so that drift hits all alike.
 */
async function measureReady(cleanup: Cleanup): Promise<{ times: ReadyTimes[]; load: number[] }> {
  const checkout = buildCheckout(cleanup);
  const slack = await startFakeSlack(cleanup);
  const [node = 'node', ...args] = START_SCRIPT.split(' ');
  const commands = [
    { command: '`npm start`', spawn: { command: 'npm', args: ['start'] } },
    { command: `\`${START_SCRIPT}\``, spawn: { command: node, args } },
  ];
  const times: ReadyTimes[] = (['PGlite', 'PostgreSQL'] as const).flatMap((kind) =>
    commands.map((command) => ({ kind, ...command, first: [], next: [] })),
  );
  const load: number[] = [];
  for (let round = 1; round <= READY_ROUNDS; round++) {
    for (const entry of times) {
      const scope = cleanup.scope(`clean up after timing ${entry.command} on ${entry.kind}`);
      try {
        const dataDir = tempDir(scope);
        const url = entry.kind === 'PostgreSQL' ? await createPostgresDatabase(scope) : undefined;
        const run = { name: `${entry.command} (${entry.kind})`, ...entry.spawn, cwd: checkout };
        const env = tandemEnv(slack, { url, dataDir });
        load.push(os.loadavg()[0] ?? Number.NaN);
        entry.first.push(await secondsToReady(scope, { ...run, env }));
        entry.next.push(await secondsToReady(scope, { ...run, env }));
        print(
          `ready, round ${round}: ${run.name} first ${entry.first.at(-1)?.toFixed(2)} s, next ${entry.next.at(-1)?.toFixed(2)} s`,
        );
      } finally {
        await scope.run();
      }
    }
  }
  return { times, load };
}

runBench('bench:rss', async (cleanup) => {
  const main = buildTandem(cleanup);
  const lanes = (['PostgreSQL', 'PGlite'] as const).map((kind) => VARIANTS.filter((v) => v.kind === kind));
  const results = (await Promise.all(lanes.map((lane) => runLane(cleanup, lane, main)))).flat();
  const ready = await measureReady(cleanup);
  report(
    VARIANTS.map((variant) => results.find((r) => r.variant === variant) as Readings),
    ready,
  );
});
