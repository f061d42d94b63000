/**
 * How bench/ack.ts sends `/leadfeedback`: one signed command, and the three ways the simulated reps pace them
 * (gated on the modal, ungated, open loop), each adding its commands' ack and modal latencies to a sample.
 */
import type { Agent } from 'node:http';
import type { AppProcess } from '../test/support/app-process.js';
import { SIGNING_SECRET } from '../test/support/harness.js';
import { commandBody, slackSignature } from '../test/support/slack-requests.js';
import { closedLoop, openLoop, post } from './lib/load.js';
import type { Arrivals } from './lib/slack-watch.js';

/** Reps sending at once in the two closed-loop protocols. */
export const CONCURRENCY = 20;
/** Commands per second in the open-loop protocol. */
export const OPEN_LOOP_RATE = 100;

/** One way of sending `/leadfeedback`: to which app, and with what text. */
export interface Variant {
  name: string;
  app: AppProcess;
  /** CONCURRENCY sockets, for the closed loops. */
  agent: Agent;
  /**
   * For the open loop, with sockets to spare (Slack is not limited to a few connections): requests waiting for a
   * socket in the load generator would be queueing the app did not cause.
   */
  openAgent: Agent;
  /** The command's text for the i-th request. */
  text(i: number): string;
}

/** Milliseconds per command, from the protocol's start of the clock. */
export interface Samples {
  /** → the HTTP 200 (what Slack waits for). */
  acks: number[];
  /** → the fake Slack receiving views.open for the command's trigger_id. */
  modals: number[];
  /** Open loop only: how late the load generator itself sent each command (its due time → its request started). */
  sendLate: number[];
}

interface Sent {
  /** performance.now() when the request was started and when its 200 had been read. */
  sentAt: number;
  ackedAt: number;
  /** When views.open for its trigger_id reached the fake Slack. */
  opened: Promise<number>;
}

/** Sends one signed slash command; resolves once it is acked. */
async function sendCommand(
  variant: Variant,
  agent: Agent,
  arrivals: Arrivals,
  triggerId: string,
  text: string,
): Promise<Sent> {
  const body = new URLSearchParams(commandBody({ command: '/leadfeedback', text, trigger_id: triggerId })).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(SIGNING_SECRET, body) };
  // Asked for before sending, so that an early views.open is matched too.
  const opened = arrivals.when(triggerId);
  const reply = await post(agent, `${variant.app.url}/slack/events`, headers, body);
  if (reply.status !== 200) throw new Error(`${variant.name} answered ${reply.status}: ${reply.body.slice(0, 200)}`);
  return { sentAt: reply.sentAt, ackedAt: reply.answeredAt, opened };
}

export interface Protocol {
  key: 'gated' | 'ungated' | 'open-loop';
  /** Sends `count` commands of `variant` (trigger ids unique to `label`); resolves once every modal has opened. */
  send(variant: Variant, arrivals: Arrivals, label: string, count: number, into: Samples): Promise<void>;
}

/**
 * CONCURRENCY reps, each sending its next command once its modal is open. (A loop on the ack alone lets the work
 * after it pile up for as long as the run lasts; this one measures the ack with that work bounded.)
 */
export const gated: Protocol = {
  key: 'gated',
  async send(variant, arrivals, label, count, into) {
    await closedLoop(CONCURRENCY, count, async (i) => {
      const sent = await sendCommand(variant, variant.agent, arrivals, `${label}-${i}`, variant.text(i));
      into.acks.push(sent.ackedAt - sent.sentAt);
      into.modals.push((await sent.opened) - sent.sentAt);
    });
  },
};

/**
 * CONCURRENCY reps, each sending its next command as soon as its ack returns, whatever the modals are doing: the
 * work after each ack competes with the next acks. The slice ends once its last modal has opened, so its leftover
 * work does not land on the next variant's slice; modal times include that pile-up.
 */
export const ungated: Protocol = {
  key: 'ungated',
  async send(variant, arrivals, label, count, into) {
    const modals: Array<Promise<void>> = [];
    await closedLoop(CONCURRENCY, count, async (i) => {
      const sent = await sendCommand(variant, variant.agent, arrivals, `${label}-${i}`, variant.text(i));
      into.acks.push(sent.ackedAt - sent.sentAt);
      modals.push(sent.opened.then((at) => void into.modals.push(at - sent.sentAt)));
    });
    await Promise.all(modals);
  },
};

/**
 * Commands due at OPEN_LOOP_RATE per second whatever the earlier ones are doing, as Slack delivers a team's
 * commands; both times count from when each was due, so a backlog (in the app or in the load generator) counts.
 */
export const openLoopAtRate: Protocol = {
  key: 'open-loop',
  async send(variant, arrivals, label, count, into) {
    await openLoop(OPEN_LOOP_RATE, count, async (i, dueAt) => {
      const sent = await sendCommand(variant, variant.openAgent, arrivals, `${label}-${i}`, variant.text(i));
      into.sendLate.push(sent.sentAt - dueAt);
      into.acks.push(sent.ackedAt - dueAt);
      into.modals.push((await sent.opened) - dueAt);
    });
  },
};
