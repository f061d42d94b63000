/**
 * Benchmark (not a test): a HubSpot batch of 100 owner-assignment events (100 contacts) POSTed to
 * /connectors/hubspot, signed v3, with the HubSpot API test server answering every read in 50 ms; measured from the
 * batch's 200 to each card reaching Slack, and until all 100 have. Slack idle, pacing off.
 *
 *   npm run bench:hubspot
 */
import { FakeHubSpot, HUBSPOT_TOKEN } from '../test/support/fake-hubspot.js';
import type { FakeSlack } from '../test/support/fake-slack.js';
import { CHANNELS } from '../test/support/harness.js';
import { HUBSPOT_CLIENT_SECRET, hubspotEvent, PUBLIC_URL, postHubSpot } from '../test/support/hubspot-webhooks.js';
import { startTandem } from './lib/apps.js';
import { type Cleanup, runBench } from './lib/cleanup.js';
import { createPostgresDatabase, tempDir } from './lib/databases.js';
import { median, print, table, writeSection } from './lib/report.js';
import { Arrivals, startFakeSlack, watchSlackCalls } from './lib/slack-watch.js';
import { latency, medianOver, ms } from './lib/stats.js';

const ROUNDS = 5;
const BATCH = 100;
const API_DELAY_MS = 50;
const OWNER = { id: '77', email: 'owen@acme.example', slack: 'UOWNER077' };

type Kind = 'PostgreSQL' | 'PGlite';

interface Round {
  p50: number;
  p99: number;
  /** 200 → the last card. */
  all: number;
  accept: number;
}

async function sendRound(url: string, hubspot: FakeHubSpot, arrivals: Arrivals, label: string): Promise<Round> {
  const ids = Array.from({ length: BATCH }, (_, i) => `${label}${String(i).padStart(3, '0')}`);
  for (const id of ids) {
    hubspot.setContact(id, {
      firstname: 'Lead',
      lastname: id,
      email: `lead-${id}@example.com`,
      hubspot_owner_id: OWNER.id,
    });
  }
  const batch = ids.map((id) =>
    hubspotEvent('contact.propertyChange', Number(id), { propertyName: 'hubspot_owner_id', propertyValue: OWNER.id }),
  );
  const posted = ids.map((id) => arrivals.when(id, 60_000));
  const sent = performance.now();
  const reply = await postHubSpot(url, batch);
  const answeredAt = performance.now();
  if (reply.status !== 200 || reply.body.stored !== BATCH) throw new Error(`batch refused: ${JSON.stringify(reply)}`);
  const times = (await Promise.all(posted)).map((at) => at - answeredAt);
  const { p50, p99 } = latency(times);
  return { p50, p99, all: Math.max(...times), accept: answeredAt - sent };
}

async function benchKind(parent: Cleanup, slack: FakeSlack, hubspot: FakeHubSpot, arrivals: Arrivals, kind: Kind) {
  const cleanup = parent.scope(`clean up after ${kind}`);
  try {
    const dataDir = tempDir(cleanup);
    const url = kind === 'PostgreSQL' ? await createPostgresDatabase(cleanup) : undefined;
    const app = await startTandem(
      cleanup,
      slack,
      { url, dataDir },
      {
        SLACK_POST_RATE: '0',
        HUBSPOT_CLIENT_SECRET,
        HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN,
        HUBSPOT_API_URL: hubspot.url,
        PUBLIC_URL,
      },
    );
    await sendRound(app.url, hubspot, arrivals, `${kind === 'PostgreSQL' ? 1 : 2}0`); // warm-up, discarded
    const rounds: Round[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const round = await sendRound(app.url, hubspot, arrivals, `${kind === 'PostgreSQL' ? 1 : 2}${r}`);
      slack.reset();
      rounds.push(round);
      print(`${kind} round ${r}: p50 ${ms(round.p50)}, p99 ${ms(round.p99)}, all ${ms(round.all)}`);
    }
    return rounds;
  } finally {
    await cleanup.run();
  }
}

runBench('bench:hubspot', async (cleanup) => {
  const slack = await startFakeSlack(cleanup);
  slack.users.set(OWNER.email, OWNER.slack);
  const hubspot = await new FakeHubSpot().start();
  cleanup.add('stop the fake HubSpot', () => hubspot.stop());
  hubspot.delayMs = API_DELAY_MS;
  hubspot.owners.set(OWNER.id, { id: OWNER.id, email: OWNER.email, firstName: 'Owen', lastName: 'Rep', userId: 7700 });
  const arrivals = new Arrivals();
  cleanup.add(
    'stop watching Slack',
    watchSlackCalls(slack, (call, at) => {
      if (call.method !== 'chat.postMessage' || call.args.channel !== CHANNELS.SALES_CHANNEL) return;
      const token = /Lead (\d+)/.exec(String(call.args.text))?.[1];
      if (token) arrivals.arrive(token, at);
    }),
  );
  const results: Array<{ kind: Kind; rounds: Round[] }> = [];
  for (const kind of ['PostgreSQL', 'PGlite'] as const) {
    results.push({ kind, rounds: await benchKind(cleanup, slack, hubspot, arrivals, kind) });
  }
  const rows = results.map(({ kind, rounds }) => [
    kind,
    ms(medianOver(rounds, (r) => r.accept)),
    ms(medianOver(rounds, (r) => r.p50)),
    ms(medianOver(rounds, (r) => r.p99)),
    ms(median(rounds.map((r) => r.all))),
  ]);
  writeSection({
    key: 'hubspot',
    title: 'HubSpot batch of 100 events → cards',
    command: 'npm run bench:hubspot',
    body: [
      `A batch of ${BATCH} \`contact.propertyChange\` events on \`hubspot_owner_id\` (100 contacts, one owner), signed v3, POSTed to \`/connectors/hubspot\` of Tandem as a child process (\`SLACK_POST_RATE=0\`, LOG_LEVEL=warn) whose HubSpot API test server answers every read after ${API_DELAY_MS} ms. Each event costs one contact read (the owner is cached after the first), so the inbox worker's concurrency (4 events at a time per replica) bounds the rate. "Accept" is the batch's 200; "card" is that 200 → the fake Slack receiving the contact's card; "all" is the 200 → the last card. Medians over ${ROUNDS} rounds after one warm-up batch.`,
      '',
      table(['database', 'accept', 'card p50', 'card p99', 'all 100 cards'], rows),
    ].join('\n'),
  });
});
