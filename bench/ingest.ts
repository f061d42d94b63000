/**
 * Benchmark (not a test): lead-handoff webhooks accepted per second at concurrency 32, each committed with its
 * outbox row, beside two baselines at the same concurrency: the same rows written with plain SQL and no HTTP
 * (bench/baseline/ingest.ts), and the smallest HTTP server writing them with four INSERTs
 * (bench/baseline/ingest-server.ts); on real PostgreSQL and on embedded PGlite (plain SQL only). Target on
 * PostgreSQL: Tandem ≥ 0.65× the HTTP server.
 *
 *   npm run bench:ingest
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { FakeSlack } from '../test/support/fake-slack.js';
import { CHANNELS } from '../test/support/harness.js';
import { migrateDatabase, queryOnce } from '../test/support/postgres-admin.js';
import { insertWithPg, insertWithPglite } from './baseline/ingest.js';
import { startTandem } from './lib/apps.js';
import { type Cleanup, runBench } from './lib/cleanup.js';
import { createPostgresDatabase, openMigratedPglite, tempDir } from './lib/databases.js';
import { expectAccepted, type LeadHandoff, leadHandoff, sendLeadHandoff } from './lib/events.js';
import { closedLoop, closedLoopFor, keepAliveAgent } from './lib/load.js';
import { BASELINE_INGEST_SERVER, startApp } from './lib/processes.js';
import { loadAverage, loadSentence, print, table, writeSection } from './lib/report.js';
import { startFakeSlack, watchSlackCalls } from './lib/slack-watch.js';
import { medianOver, ratio, verdict } from './lib/stats.js';

const CONCURRENCY = 32;
/** BENCH_ROUNDS and BENCH_KINDS (PostgreSQL,PGlite) shorten a run while working on the write path. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WINDOW_MS = 2_000;
const WARMUP_EVENTS = 300;
/** Tandem's pool size (src/db/database.ts); the baseline gets as many connections. */
const POOL_SIZE = 10;
/** Tandem ÷ the minimal HTTP server. */
const TARGET = 0.65;

type Kind = 'PostgreSQL' | 'PGlite';

/** Something that takes lead-handoff events: Tandem over HTTP, or the baseline's plain inserts. */
interface Contender {
  ingest(event: LeadHandoff): Promise<void>;
  /** Resolves when the work an ingest started is done (Tandem's worker has posted every card). */
  settle(): Promise<void>;
  /** How many events it has taken so far, checked against the rows at the end. */
  taken: number;
}

interface Round {
  tandem: number;
  baseline: number;
  /** The minimal HTTP server's rate (PostgreSQL only). */
  server?: number;
  /** Seconds Tandem's worker went on delivering cards after its window closed (not counted in its rate). */
  tandemDrain: number;
}

interface Measurement {
  perSecond: number;
  drainSeconds: number;
}

interface KindResult {
  kind: Kind;
  rounds: Round[];
  check: string;
}

/** Tandem as a process of its own; settles once the fake Slack has received a card for every accepted event. */
async function tandemContender(cleanup: Cleanup, slack: FakeSlack, kind: Kind): Promise<Contender & { url?: string }> {
  const dataDir = tempDir(cleanup);
  const url = kind === 'PostgreSQL' ? await createPostgresDatabase(cleanup) : undefined;
  // Unpaced, so the worker can deliver a round's cards before the baseline's turn (at the default 1 post/s a
  // round's cards would keep it busy, and stealing CPU from the baseline, for the rest of the run).
  const app = await startTandem(cleanup, slack, { url, dataDir }, { SLACK_POST_RATE: '0' });
  const agent = keepAliveAgent(CONCURRENCY);
  cleanup.add('close the Tandem agent', () => agent.destroy());
  let cards = 0;
  cleanup.add(
    'stop watching Slack',
    watchSlackCalls(slack, (call) => {
      if (call.method === 'chat.postMessage' && call.args.channel === CHANNELS.SALES_CHANNEL) cards += 1;
    }),
  );
  const contender = {
    url,
    taken: 0,
    async ingest(event: LeadHandoff) {
      expectAccepted(await sendLeadHandoff(agent, app.url, event));
      contender.taken += 1;
    },
    async settle() {
      const deadline = Date.now() + 60_000;
      while (cards < contender.taken) {
        if (Date.now() > deadline) throw new Error(`${contender.taken - cards} cards still undelivered after 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      slack.reset(); // keeps the fake's memory flat across rounds
    },
  };
  return contender;
}

async function baselineContender(cleanup: Cleanup, kind: Kind): Promise<Contender & { url?: string }> {
  const dataDir = tempDir(cleanup);
  if (kind === 'PGlite') {
    const pglite: PGlite = await openMigratedPglite(dataDir);
    cleanup.add('close the baseline PGlite', () => pglite.close());
    const contender = {
      taken: 0,
      async ingest(event: LeadHandoff) {
        await insertWithPglite(pglite, event, CHANNELS.SALES_CHANNEL);
        contender.taken += 1;
      },
      settle: async () => {},
    };
    return contender;
  }
  // A database of its own: Tandem's worker must not see (and deliver) the baseline's outbox rows.
  const url = await createPostgresDatabase(cleanup);
  await migrateDatabase(url, dataDir);
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  pool.on('error', () => {}); // an idle client cut off by the final drop database is no news
  cleanup.add('close the baseline pool', () => pool.end());
  const contender = {
    url,
    taken: 0,
    async ingest(event: LeadHandoff) {
      await insertWithPg(pool, event, CHANNELS.SALES_CHANNEL);
      contender.taken += 1;
    },
    settle: async () => {},
  };
  return contender;
}

/** The minimal HTTP server (bench/baseline/ingest-server.ts) on a migrated database of its own. */
async function serverContender(cleanup: Cleanup): Promise<Contender & { url: string }> {
  const dataDir = tempDir(cleanup);
  const url = await createPostgresDatabase(cleanup);
  await migrateDatabase(url, dataDir);
  const app = await startApp(cleanup, {
    name: 'minimal HTTP + pg server',
    script: BASELINE_INGEST_SERVER,
    env: { DATABASE_URL: url, POOL_SIZE: String(POOL_SIZE) },
    cwd: dataDir,
  });
  const agent = keepAliveAgent(CONCURRENCY);
  cleanup.add('close the server agent', () => agent.destroy());
  const contender = {
    url,
    taken: 0,
    async ingest(event: LeadHandoff) {
      expectAccepted(await sendLeadHandoff(agent, app.url, event));
      contender.taken += 1;
    },
    settle: async () => {},
  };
  return contender;
}

/** Events per second over one window at CONCURRENCY, with lead tokens unique to `label`. */
async function measure(contender: Contender, label: string): Promise<Measurement> {
  const { completed, seconds } = await closedLoopFor(CONCURRENCY, WINDOW_MS, (i) =>
    contender.ingest(leadHandoff(`${label}-${i}`, i)),
  );
  const closed = performance.now();
  await contender.settle();
  return { perSecond: completed / seconds, drainSeconds: (performance.now() - closed) / 1000 };
}

async function warmUp(contender: Contender, label: string): Promise<void> {
  await closedLoop(CONCURRENCY, WARMUP_EVENTS, (i) => contender.ingest(leadHandoff(`${label}-warm-${i}`, i)));
  await contender.settle();
}

/** That every event taken left its event id, handoff with card and outbox row (PostgreSQL; PGlite is checked by
 * Tandem's cards arriving, and its baseline by its transactions committing). */
async function countRows(url: string, expected: number, who: string, cardIds = true): Promise<string> {
  const [row] = await queryOnce<{ events: number; handoffs: number; cards: number }>(
    url,
    `select (select count(*)::int from webhook_events) as events,
            (select count(*)::int from handoffs where ${cardIds ? 'card_outbox_id is not null' : 'true'}) as handoffs,
            (select count(*)::int from outbox) as cards`,
  );
  if (row?.events !== expected || row.handoffs !== expected || row.cards !== expected) {
    throw new Error(`${who}: ${expected} events taken but rows are ${JSON.stringify(row)}`);
  }
  return `${who}: ${expected} events → ${expected} event ids, handoffs and outbox rows`;
}

async function benchKind(parent: Cleanup, slack: FakeSlack, kind: Kind): Promise<KindResult> {
  // Everything of this kind goes when it is done: the next kind runs alone on the machine.
  const cleanup = parent.scope(`clean up after ${kind}`);
  try {
    return await benchKindIn(cleanup, slack, kind);
  } finally {
    await cleanup.run();
  }
}

async function benchKindIn(cleanup: Cleanup, slack: FakeSlack, kind: Kind): Promise<KindResult> {
  const contenders: Record<'tandem' | 'baseline' | 'server', Contender | undefined> = {
    tandem: await tandemContender(cleanup, slack, kind),
    baseline: await baselineContender(cleanup, kind),
    server: kind === 'PostgreSQL' ? await serverContender(cleanup) : undefined,
  };
  const names = (['tandem', 'baseline', 'server'] as const).filter((name) => contenders[name]);
  for (const name of names) await warmUp(contenders[name] as Contender, `${name}-w`);
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Each round starts with the next contender, so that drift during a round hits all alike.
    const order = names.map((_, i) => names[(r + i) % names.length] as (typeof names)[number]);
    const measured: Partial<Record<(typeof names)[number], Measurement>> = {};
    for (const name of order) measured[name] = await measure(contenders[name] as Contender, `${name}-${r}`);
    const round: Round = {
      tandem: measured.tandem?.perSecond ?? 0,
      baseline: measured.baseline?.perSecond ?? 0,
      server: measured.server?.perSecond,
      tandemDrain: measured.tandem?.drainSeconds ?? 0,
    };
    rounds.push(round);
    const server = round.server ? `, HTTP server ${round.server.toFixed(0)}/s` : '';
    print(
      `${kind} round ${r + 1}: Tandem ${round.tandem.toFixed(0)}/s, plain SQL ${round.baseline.toFixed(0)}/s${server}`,
    );
  }
  const { tandem, baseline, server } = contenders as Record<string, Contender & { url?: string }>;
  const checks = [
    tandem?.url
      ? await countRows(tandem.url, tandem.taken, 'Tandem')
      : `Tandem: ${tandem?.taken} events, all cards posted`,
    baseline?.url
      ? await countRows(baseline.url, baseline.taken, 'plain SQL')
      : `plain SQL: ${baseline?.taken} committed`,
    ...(server?.url ? [await countRows(server.url, server.taken, 'HTTP server', false)] : []),
  ];
  return { kind, rounds, check: checks.join('; ') };
}

function report(results: KindResult[], load: { start: number; end: number }): void {
  const rate = (rounds: Round[], of: (r: Round) => number | undefined) =>
    rounds.some((r) => of(r) !== undefined) ? `${medianOver(rounds, (r) => of(r) ?? 0).toFixed(0)}/s` : '—';
  const rows = results.map(({ kind, rounds }) => {
    const ofServer = medianOver(rounds, (r) => (r.server ? r.tandem / r.server : 0));
    return [
      kind,
      rate(rounds, (r) => r.tandem),
      rate(rounds, (r) => r.server),
      kind === 'PostgreSQL' ? ratio(ofServer) : '—',
      kind === 'PostgreSQL' ? `≥ ${TARGET}×: ${verdict(ofServer >= TARGET)}` : '(no target)',
      rate(rounds, (r) => r.baseline),
      ratio(medianOver(rounds, (r) => r.tandem / r.baseline)),
    ];
  });
  const perRound = results.flatMap(({ kind, rounds }) =>
    rounds.map((r, i) => [
      kind,
      String(i + 1),
      `${r.tandem.toFixed(0)}/s`,
      r.server ? `${r.server.toFixed(0)}/s` : '—',
      r.server ? ratio(r.tandem / r.server) : '—',
      `${r.baseline.toFixed(0)}/s`,
      ratio(r.tandem / r.baseline),
      `${r.tandemDrain.toFixed(1)} s`,
    ]),
  );
  writeSection({
    key: 'ingest',
    title: 'Webhook ingest: lead handoffs accepted per second',
    command: 'npm run bench:ingest',
    body: [
      `Signed \`POST /webhooks/lead-handoff\` events (a new lead each, 10 campaigns, owner by Slack id) at concurrency ${CONCURRENCY}, closed loop over keep-alive connections, for ${WINDOW_MS / 1000} s per measurement; ${ROUNDS} rounds after ${WARMUP_EVENTS} warm-up events each, each round starting with the next contender. Tandem (a child process, \`SLACK_POST_RATE=0\`, LOG_LEVEL=warn) answers 202 only after the event, lead, handoff and card outbox row have committed; its worker delivers the cards to the fake Slack meanwhile, and each measurement waits for the last card before the next starts (the per-round "drain" is how long that took after the window: delivery work not charged to Tandem's rate).`,
      '',
      `Baselines, each on a database of its own with Tandem's schema (its indexes and triggers): the **HTTP server** (bench/baseline/ingest-server.ts), the smallest server doing the same job: \`node:http\`, \`JSON.parse\` and \`pg\` (a pool of ${POOL_SIZE}, like Tandem's) sending four INSERTs in one transaction (event id, lead upsert, handoff, the card's outbox row), no signature, validation or logging, as a child process like Tandem; and **plain SQL** (bench/baseline/ingest.ts): every statement Tandem sent per event before this round of work, from the bench process with no HTTP (on PGlite, PGlite directly). Ratios are medians of each round's Tandem ÷ baseline.`,
      '',
      table(
        ['database', 'Tandem', 'HTTP server', 'Tandem ÷ server', 'target', 'plain SQL', 'Tandem ÷ plain SQL'],
        rows,
      ),
      '',
      '<details><summary>Per round</summary>',
      '',
      table(['database', 'round', 'Tandem', 'HTTP server', 'ratio', 'plain SQL', 'ratio', 'Tandem drain'], perRound),
      '',
      '</details>',
      '',
      `Checked after the runs: ${results.map((r) => `${r.kind}: ${r.check}`).join('. ')}. ${loadSentence(load.start, load.end)}`,
    ].join('\n'),
  });
}

runBench('bench:ingest', async (cleanup) => {
  const slack = await startFakeSlack(cleanup);
  const loadAtStart = loadAverage();
  const results: KindResult[] = [];
  const kinds = (process.env.BENCH_KINDS ?? 'PostgreSQL,PGlite').split(',') as Kind[];
  for (const kind of kinds) {
    results.push(await benchKind(cleanup, slack, kind));
  }
  report(results, { start: loadAtStart, end: loadAverage() });
});
