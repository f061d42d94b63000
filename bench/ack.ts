/**
 * Benchmark (not a test): how fast `/leadfeedback` is acknowledged at concurrency 20, and how soon its modal opens
 * (views.open reaching the Slack test server), beside a minimal Bolt app doing the same (bench/baseline/bolt-app.ts).
 * Target: Tandem's ack p99 ≤ 1.2 × the baseline's.
 *
 *   npm run bench:ack
 */
import type { Agent } from 'node:http';
import type { AppProcess } from '../test/support/app-process.js';
import type { FakeSlack } from '../test/support/fake-slack.js';
import { SIGNING_SECRET } from '../test/support/harness.js';
import { queryOnce } from '../test/support/postgres-admin.js';
import { commandBody, slackSignature } from '../test/support/slack-requests.js';
import { startBaselineBolt, startTandem } from './lib/apps.js';
import { type Cleanup, runBench } from './lib/cleanup.js';
import { createPostgresDatabase, tempDir } from './lib/databases.js';
import { closedLoop, keepAliveAgent, post } from './lib/load.js';
import { print, table, writeSection } from './lib/report.js';
import { Arrivals, startFakeSlack, watchSlackCalls } from './lib/slack-watch.js';
import { type Latency, latency, medianOver, ms, ratio, verdict } from './lib/stats.js';

const CONCURRENCY = 20;
const ROUNDS = 5;
const COMMANDS = 600;
/** Each round's commands per variant are sent in this many slices, the variants taking turns. */
const SLICES = 6;
const WARMUP_COMMANDS = 200;
const LEADS = 1_000;
const TARGET = 1.2;

/** One way of sending `/leadfeedback`: to which app, and with what text. */
interface Variant {
  name: string;
  app: AppProcess;
  agent: Agent;
  /** The command's text for the i-th request. */
  text(i: number): string;
}

interface Measurement {
  ack: Latency;
  /** Sending the command → the fake Slack receiving views.open for its trigger_id. */
  modal: Latency;
}

/** Sends one signed slash command; resolves with the ack time and a promise of the views.open time (both ms). */
async function sendCommand(
  variant: Variant,
  arrivals: Arrivals,
  triggerId: string,
  text: string,
): Promise<{ ackMs: number; modalMs: Promise<number> }> {
  const body = new URLSearchParams(commandBody({ command: '/leadfeedback', text, trigger_id: triggerId })).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(SIGNING_SECRET, body) };
  // Asked for before sending, so that an early views.open is matched too.
  const opened = arrivals.when(triggerId);
  const reply = await post(variant.agent, `${variant.app.url}/slack/events`, headers, body);
  if (reply.status !== 200) throw new Error(`${variant.name} answered ${reply.status}: ${reply.body.slice(0, 200)}`);
  return { ackMs: reply.answeredAt - reply.sentAt, modalMs: opened.then((at) => at - reply.sentAt) };
}

interface Samples {
  acks: number[];
  modals: number[];
}

/**
 * `count` commands, CONCURRENCY at a time: each of CONCURRENCY reps sends the next once their modal is open. (A
 * loop on the ack alone would let the work after it, views.open, pile up without bound, and the modal times would
 * measure that pile, growing with the length of the run.) Trigger ids are unique to `label`.
 */
async function send(variant: Variant, arrivals: Arrivals, label: string, count: number, into: Samples): Promise<void> {
  await closedLoop(CONCURRENCY, count, async (i) => {
    const sent = await sendCommand(variant, arrivals, `${label}-${i}`, variant.text(i));
    into.acks.push(sent.ackMs);
    into.modals.push(await sent.modalMs);
  });
}

/**
 * One round: the variants take turns in short slices (their order rotating), so that the machine's drift (other
 * work on a shared machine comes and goes within seconds) hits them alike; then each variant's percentiles over
 * all its slices.
 */
async function round(variants: Variant[], arrivals: Arrivals, r: number): Promise<Measurement[]> {
  const samples = variants.map((): Samples => ({ acks: [], modals: [] }));
  for (let slice = 0; slice < SLICES; slice++) {
    for (let k = 0; k < variants.length; k++) {
      const v = (k + slice + r) % variants.length;
      await send(variants[v] as Variant, arrivals, `r${r}s${slice}v${v}`, COMMANDS / SLICES, samples[v] as Samples);
    }
  }
  return samples.map(({ acks, modals }) => ({ ack: latency(acks), modal: latency(modals) }));
}

async function startApps(cleanup: Cleanup, slack: FakeSlack): Promise<Variant[]> {
  const url = await createPostgresDatabase(cleanup);
  const tandem = await startTandem(cleanup, slack, { url, dataDir: tempDir(cleanup) });
  // Leads for `/leadfeedback L-<n>` to find (Tandem looks the lead up before opening the modal).
  await queryOnce(
    url,
    `insert into leads (crm_id, name) select 'L-' || n, 'Lead ' || n from generate_series(1, $1) n`,
    [LEADS],
  );
  const baseline = await startBaselineBolt(cleanup, slack, tempDir(cleanup));
  const agent = (name: string) => {
    const created = keepAliveAgent(CONCURRENCY);
    cleanup.add(`close the ${name} agent`, () => created.destroy());
    return created;
  };
  return [
    { name: 'Tandem, `/leadfeedback`', app: tandem, agent: agent('Tandem'), text: () => '' },
    {
      name: 'Tandem, `/leadfeedback L-<n>`',
      app: tandem,
      agent: agent('Tandem (lead)'),
      text: (i) => `L-${1 + (i % LEADS)}`,
    },
    { name: 'baseline Bolt app', app: baseline, agent: agent('baseline'), text: () => '' },
  ];
}

function report(variants: Variant[], rounds: Measurement[][]): void {
  const baseline = variants.length - 1;
  const rows = variants.map((variant, v) => {
    const of = (pick: (m: Measurement) => number) => medianOver(rounds, (round) => pick(round[v] as Measurement));
    const share = medianOver(
      rounds,
      (round) => (round[v] as Measurement).ack.p99 / (round[baseline] as Measurement).ack.p99,
    );
    return [
      variant.name,
      ms(of((m) => m.ack.p50)),
      ms(of((m) => m.ack.p99)),
      v === baseline ? '1.00×' : ratio(share),
      v === baseline ? '' : `≤ 1.2×: ${verdict(share <= TARGET)}`,
      ms(of((m) => m.modal.p50)),
      ms(of((m) => m.modal.p99)),
    ];
  });
  writeSection({
    key: 'ack',
    title: '`/leadfeedback` ack latency at concurrency 20',
    command: 'npm run bench:ack',
    body: [
      `Signed slash-command requests to \`POST /slack/events\` over keep-alive connections from ${CONCURRENCY} simulated reps at once, each sending its next command once its modal is open. "Ack" is what Slack would see: sending the request → its HTTP 200. "Modal" is sending it → the fake Slack (in the bench process) receiving \`views.open\` for its trigger_id. Each figure is the median over ${ROUNDS} rounds of the round's percentile over ${COMMANDS} commands per variant, sent in ${SLICES} slices with the variants taking turns (so that drift on a shared machine hits all alike); ${WARMUP_COMMANDS} warm-up commands each first, discarded. Tandem runs as \`node --import tsx src/main.ts\` on PostgreSQL with LOG_LEVEL=warn; with a lead id it looks the lead up (${LEADS} leads stored) between the ack and \`views.open\`. The baseline is a minimal Bolt app (\`bench/baseline/bolt-app.ts\`) that acks and opens the same modal. "vs baseline" is the median of each round's ack p99 ÷ the baseline's.`,
      '',
      table(['variant', 'ack p50', 'ack p99', 'vs baseline', 'target', 'modal p50', 'modal p99'], rows),
    ].join('\n'),
  });
}

runBench('bench:ack', async (cleanup) => {
  const slack = await startFakeSlack(cleanup);
  const arrivals = new Arrivals();
  cleanup.add(
    'stop watching Slack',
    watchSlackCalls(slack, (call, at) => {
      if (call.method === 'views.open') arrivals.arrive(String(call.args.trigger_id), at);
    }),
  );
  const variants = await startApps(cleanup, slack);
  for (const [v, variant] of variants.entries()) {
    await send(variant, arrivals, `warm${v}`, WARMUP_COMMANDS, { acks: [], modals: [] });
  }

  const rounds: Measurement[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const measured = await round(variants, arrivals, r);
    slack.reset(); // keeps the fake's memory flat across rounds
    rounds.push(measured);
    print(
      `round ${r + 1}: ${variants.map((variant, v) => `${variant.name} ack p99 ${ms((measured[v] as Measurement).ack.p99)}`).join(', ')}`,
    );
  }
  report(variants, rounds);
});
