/**
 * Benchmark (not a test): how fast `/leadfeedback` is acknowledged, and how soon its modal opens (views.open
 * reaching the Slack test server), beside a minimal Bolt app doing the same (bench/baseline/bolt-app.ts), under
 * three protocols (bench/ack-protocols.ts). Targets: Tandem's ack p99 ≤ 1.2 × the baseline's with reps gated on
 * their modal, ≤ 1.5 × with reps that do not wait for it, and < 1 s at 100 commands/s arriving open loop.
 *
 *   npm run bench:ack
 */
import type { FakeSlack } from '../test/support/fake-slack.js';
import { queryOnce } from '../test/support/postgres-admin.js';
import {
  CONCURRENCY,
  gated,
  OPEN_LOOP_RATE,
  openLoopAtRate,
  type Protocol,
  type Samples,
  ungated,
  type Variant,
} from './ack-protocols.js';
import { startBaselineBolt, startTandem } from './lib/apps.js';
import { type Cleanup, runBench } from './lib/cleanup.js';
import { createPostgresDatabase, tempDir } from './lib/databases.js';
import { keepAliveAgent } from './lib/load.js';
import { loadAverage, loadSentence, median, print, table, writeSection } from './lib/report.js';
import { Arrivals, startFakeSlack, watchSlackCalls } from './lib/slack-watch.js';
import { type Latency, latency, medianOver, ms, ratio, verdict } from './lib/stats.js';

const ROUNDS = 5;
const COMMANDS = 600;
/** Each round's commands per variant and protocol are sent in this many slices, the variants taking turns. */
const SLICES = 6;
const WARMUP_COMMANDS = 200;
const LEADS = 1_000;
/** Sockets for the open loop: a whole second of commands in flight at once, where the target is missed anyway. */
const OPEN_LOOP_SOCKETS = OPEN_LOOP_RATE;

interface ProtocolPlan {
  protocol: Protocol;
  /** Tandem's target in this protocol, judged on its ack p99 and that ÷ the baseline's. */
  target: { text: string; met(p99: number, share: number): boolean };
}

const PROTOCOLS: ProtocolPlan[] = [
  {
    protocol: gated,
    target: { text: '≤ 1.2×', met: (_p99, share) => share <= 1.2 },
  },
  {
    protocol: ungated,
    target: { text: '≤ 1.5×', met: (_p99, share) => share <= 1.5 },
  },
  {
    protocol: openLoopAtRate,
    target: { text: 'p99 < 1 s', met: (p99) => p99 < 1_000 },
  },
];

interface Measurement {
  ack: Latency;
  modal: Latency;
  /** Open loop: the load generator's own lateness in sending (p99). */
  sendLateP99: number;
}

/** One round's figures: by protocol, then by variant. */
type Round = Measurement[][];

/**
 * One round: for each protocol the variants take turns in short slices (their order rotating), so that the
 * machine's drift (other work on a shared machine comes and goes within seconds) hits them alike; then each
 * variant's percentiles over all its slices.
 */
async function round(variants: Variant[], arrivals: Arrivals, r: number): Promise<Round> {
  const figures: Round = [];
  for (const [p, { protocol }] of PROTOCOLS.entries()) {
    const samples = variants.map((): Samples => ({ acks: [], modals: [], sendLate: [] }));
    for (let slice = 0; slice < SLICES; slice++) {
      for (let k = 0; k < variants.length; k++) {
        const v = (k + slice + r) % variants.length;
        const label = `r${r}p${p}s${slice}v${v}`;
        await protocol.send(variants[v] as Variant, arrivals, label, COMMANDS / SLICES, samples[v] as Samples);
      }
    }
    figures.push(
      samples.map(({ acks, modals, sendLate }) => ({
        ack: latency(acks),
        modal: latency(modals),
        sendLateP99: latency(sendLate).p99,
      })),
    );
  }
  return figures;
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
  const agent = (name: string, sockets: number) => {
    const created = keepAliveAgent(sockets);
    cleanup.add(`close the ${name} agent`, () => created.destroy());
    return created;
  };
  const variant = (name: string, app: Variant['app'], text: Variant['text']): Variant => ({
    name,
    app,
    agent: agent(name, CONCURRENCY),
    openAgent: agent(`${name} (open loop)`, OPEN_LOOP_SOCKETS),
    text,
  });
  return [
    variant('Tandem, `/leadfeedback`', tandem, () => ''),
    variant('Tandem, `/leadfeedback L-<n>`', tandem, (i) => `L-${1 + (i % LEADS)}`),
    variant('baseline Bolt app', baseline, () => ''),
  ];
}

function report(variants: Variant[], rounds: Round[], load: { start: number; end: number }): void {
  const baseline = variants.length - 1;
  const at = (r: Round, p: number, v: number) => (r[p] as Measurement[])[v] as Measurement;
  const share = (r: Round, p: number, v: number) => at(r, p, v).ack.p99 / at(r, p, baseline).ack.p99;
  const rows = PROTOCOLS.flatMap(({ protocol, target }, p) =>
    variants.map((variant, v) => {
      const of = (pick: (m: Measurement) => number) => medianOver(rounds, (r) => pick(at(r, p, v)));
      const p99 = of((m) => m.ack.p99);
      const vsBaseline = medianOver(rounds, (r) => share(r, p, v));
      const met = v === baseline ? '' : `${target.text}: ${verdict(target.met(p99, vsBaseline))}`;
      const modal = [ms(of((m) => m.modal.p50)), ms(of((m) => m.modal.p99))];
      return [protocol.key, variant.name, ms(of((m) => m.ack.p50)), ms(p99), ratio(vsBaseline), met, ...modal];
    }),
  );
  const perRound = PROTOCOLS.flatMap(({ protocol }, p) =>
    rounds.map((r, n) => [
      protocol.key,
      String(n + 1),
      ...variants.map((_, v) => ms(at(r, p, v).ack.p99)),
      ...variants.slice(0, baseline).map((_, v) => ratio(share(r, p, v))),
    ]),
  );
  const open = PROTOCOLS.findIndex(({ protocol }) => protocol === openLoopAtRate);
  const late = rounds.flatMap((r) => variants.map((_, v) => at(r, open, v).sendLateP99));
  writeSection({
    key: 'ack',
    title: '`/leadfeedback` ack latency: gated, ungated and open loop',
    command: 'npm run bench:ack',
    body: [
      method(load),
      '',
      table(['protocol', 'variant', 'ack p50', 'ack p99', 'vs baseline', 'target', 'modal p50', 'modal p99'], rows),
      '',
      `Open loop: the load generator itself sent its commands p99 ${ms(median(late))} after they were due (median over rounds and variants; worst ${ms(Math.max(...late))}), which the open-loop figures include.`,
      '',
      '<details><summary>Ack p99 per round</summary>',
      '',
      table(
        [
          'protocol',
          'round',
          ...variants.map((variant) => variant.name),
          ...variants.slice(0, baseline).map((variant) => `${variant.name} ÷ baseline`),
        ],
        perRound,
      ),
      '',
      '</details>',
    ].join('\n'),
  });
}

/** How the figures were made, for the section. */
function method(load: { start: number; end: number }): string {
  return [
    `Signed slash-command requests to \`POST /slack/events\` over keep-alive connections, three ways. **Gated**: ${CONCURRENCY} simulated reps at once, each sending its next command once its modal is open. **Ungated**: ${CONCURRENCY} reps each sending the next as soon as its ack returns (nobody waits for the modal, so the work after each ack competes with the next acks). **Open loop**: commands due at ${OPEN_LOOP_RATE}/s whatever the earlier ones are doing, over up to ${OPEN_LOOP_SOCKETS} connections, timed from when each was due (so queueing counts, the load generator's own included).`,
    `"Ack" is what Slack would see: sending the request (open loop: its due time) → its HTTP 200. "Modal" is the same start → the fake Slack (in the bench process) receiving \`views.open\` for its trigger_id; ungated, a slice ends once its last modal has opened, and modal times include the views.open calls piling up behind the acks.`,
    `Each figure is the median over ${ROUNDS} rounds of the round's percentile over ${COMMANDS} commands per variant and protocol, sent in ${SLICES} slices with the variants taking turns (so that drift on a shared machine hits all alike); ${WARMUP_COMMANDS} gated warm-up commands each first, discarded. Tandem runs as \`node --import tsx src/main.ts\` on PostgreSQL with LOG_LEVEL=warn; with a lead id it looks the lead up (${LEADS} leads stored) between the ack and \`views.open\`. The baseline is a minimal Bolt app (\`bench/baseline/bolt-app.ts\`) that acks and opens the same modal. "vs baseline" is the median of each round's ack p99 ÷ the baseline's in the same protocol.`,
    loadSentence(load.start, load.end),
  ].join(' ');
}

runBench('bench:ack', async (cleanup) => {
  const loadAtStart = loadAverage();
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
    await gated.send(variant, arrivals, `warm${v}`, WARMUP_COMMANDS, { acks: [], modals: [], sendLate: [] });
  }

  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const measured = await round(variants, arrivals, r);
    slack.reset(); // keeps the fake's memory flat across rounds
    rounds.push(measured);
    for (const [p, { protocol }] of PROTOCOLS.entries()) {
      const p99s = variants.map((variant, v) => `${variant.name} ${ms(measured[p]?.[v]?.ack.p99 ?? Number.NaN)}`);
      print(`round ${r + 1}, ${protocol.key}: ack p99 ${p99s.join(', ')}`);
    }
    print(`  load average ${loadAverage().toFixed(1)}`);
  }
  report(variants, rounds, { start: loadAtStart, end: loadAverage() });
});
