/**
 * Benchmark (not a test): from a lead-handoff webhook being accepted (its 202 received) to the handoff's card
 * reaching Slack (chat.postMessage at the Slack test server), with Slack idle and pacing off, at a modest steady
 * rate so that it measures latency and not a backlog. Target: p99 < 1 s on PostgreSQL.
 *
 *   npm run bench:latency
 */

import type { AppProcess } from '../test/support/app-process.js';
import type { FakeSlack } from '../test/support/fake-slack.js';
import { CHANNELS } from '../test/support/harness.js';
import { startTandem } from './lib/apps.js';
import { type Cleanup, runBench } from './lib/cleanup.js';
import { createPostgresDatabase, tempDir } from './lib/databases.js';
import { expectAccepted, leadHandoff, sendLeadHandoff, tokenOfCard } from './lib/events.js';
import { keepAliveAgent, openLoop } from './lib/load.js';
import { median, print, table, writeSection } from './lib/report.js';
import { Arrivals, startFakeSlack, watchSlackCalls } from './lib/slack-watch.js';
import { type Latency, latency, medianOver, ms, verdict } from './lib/stats.js';

const ROUNDS = 5;
const WARMUP_EVENTS = 50;

type Kind = 'PostgreSQL' | 'PGlite';

/**
 * Events per second and per round. Each rate is well inside what that database takes (bench:ingest): at 25/s
 * Tandem on PGlite is already about half busy (its WASM PostgreSQL costs ~20 ms of CPU per event), and any other
 * load on a shared machine then queues events, which would measure the backlog instead of the latency.
 */
const PLAN: Record<Kind, { rate: number; events: number }> = {
  PostgreSQL: { rate: 25, events: 150 },
  PGlite: { rate: 10, events: 80 },
};
const TARGET_MS = 1_000;

interface Round {
  /** 202 received → card received by Slack. */
  post: Latency;
  /** Sending the webhook → its 202 (for context: what the sender waits for). */
  accept: Latency;
  max: number;
}

/** `events` events at `rate` per second, open loop; each event's accept and post latencies. */
async function sendRound(
  app: AppProcess,
  arrivals: Arrivals,
  label: string,
  { rate, events }: { rate: number; events: number },
): Promise<Round> {
  const agent = keepAliveAgent(8);
  const posts: number[] = [];
  const accepts: number[] = [];
  try {
    await openLoop(rate, events, async (i) => {
      const token = `${label}-${i}`;
      const posted = arrivals.when(token);
      const reply = await sendLeadHandoff(agent, app.url, leadHandoff(token, i));
      expectAccepted(reply);
      accepts.push(reply.answeredAt - reply.sentAt);
      posts.push((await posted) - reply.answeredAt);
    });
  } finally {
    agent.destroy();
  }
  return { post: latency(posts), accept: latency(accepts), max: Math.max(...posts) };
}

async function benchKind(parent: Cleanup, slack: FakeSlack, arrivals: Arrivals, kind: Kind): Promise<Round[]> {
  // Each kind's app and database go when it is done, so the next runs alone.
  const cleanup = parent.scope(`clean up after ${kind}`);
  try {
    const dataDir = tempDir(cleanup);
    const url = kind === 'PostgreSQL' ? await createPostgresDatabase(cleanup) : undefined;
    const app = await startTandem(cleanup, slack, { url, dataDir }, { SLACK_POST_RATE: '0' });
    await sendRound(app, arrivals, `${kind}-warm`, { ...PLAN[kind], events: WARMUP_EVENTS });
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round = await sendRound(app, arrivals, `${kind}-${r}`, PLAN[kind]);
      slack.reset(); // keeps the fake's memory flat across rounds
      rounds.push(round);
      print(`${kind} round ${r + 1}: p50 ${ms(round.post.p50)}, p99 ${ms(round.post.p99)}, max ${ms(round.max)}`);
    }
    return rounds;
  } finally {
    await cleanup.run();
  }
}

function report(results: Array<{ kind: Kind; rounds: Round[] }>): void {
  const rows = results.map(({ kind, rounds }) => {
    const p99 = medianOver(rounds, (r) => r.post.p99);
    return [
      kind,
      `${PLAN[kind].rate}/s`,
      ms(medianOver(rounds, (r) => r.post.p50)),
      ms(p99),
      ms(median(rounds.map((r) => r.max))),
      kind === 'PostgreSQL' ? `p99 < 1 s: ${verdict(p99 < TARGET_MS)}` : '(no target)',
      `${ms(medianOver(rounds, (r) => r.accept.p50))} / ${ms(medianOver(rounds, (r) => r.accept.p99))}`,
    ];
  });
  writeSection({
    key: 'latency',
    title: 'Event → Slack post latency',
    command: 'npm run bench:latency',
    body: [
      `Signed lead-handoff webhooks sent at a steady rate (open loop: each is sent on schedule whatever the earlier ones are doing; PGlite gets a lower rate because each event costs it ~20 ms of CPU, so 25/s would half-load it and measure queueing) to Tandem as a child process with \`SLACK_POST_RATE=0\` and LOG_LEVEL=warn; the fake Slack answers at once. "Post" is the webhook's 202 received → the fake Slack receiving the handoff's \`chat.postMessage\` (the card can even arrive first: it is sent once the transaction commits, the 202 a moment later). Each figure is the median over ${ROUNDS} rounds (of ${PLAN.PostgreSQL.events} events on PostgreSQL, ${PLAN.PGlite.events} on PGlite, after ${WARMUP_EVENTS} warm-up events, discarded) of that round's percentile; "max" is the median of the rounds' worst.`,
      '',
      table(['database', 'rate', 'post p50', 'post p99', 'post max', 'target', 'accept p50 / p99'], rows),
    ].join('\n'),
  });
}

runBench('bench:latency', async (cleanup) => {
  const slack = await startFakeSlack(cleanup);
  const arrivals = new Arrivals();
  cleanup.add(
    'stop watching Slack',
    watchSlackCalls(slack, (call, at) => {
      const card = call.method === 'chat.postMessage' && call.args.channel === CHANNELS.SALES_CHANNEL;
      const token = card ? tokenOfCard(call.args.text) : undefined;
      if (token) arrivals.arrive(token, at);
    }),
  );
  const results: Array<{ kind: Kind; rounds: Round[] }> = [];
  for (const kind of ['PostgreSQL', 'PGlite'] as const) {
    results.push({ kind, rounds: await benchKind(cleanup, slack, arrivals, kind) });
  }
  report(results);
});
