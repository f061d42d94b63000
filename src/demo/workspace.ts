import type { FakeSlack, RecordedCall, RecordedResponse } from '../slack-standin/server.js';
import { appendJournal, type JournalEntry, readJournal } from './journal.js';
import { DEMO_CHANNELS, DEMO_PEOPLE_LIST } from './people.js';
import type { DemoMessage, DemoModal } from './types.js';

type Json = Record<string, unknown>;

const REMEMBERED = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.publish']);
const CHANNEL_IDS = new Set<string>(Object.values(DEMO_CHANNELS).map((c) => c.id));

/**
 * The pretend Slack workspace the page shows, read from the stand-in's recorded Web API calls: channel messages
 * with threads and in-place updates, ephemeral answers, each person's Home tab and open modals. The stand-in
 * keeps calls in memory only, so they are journaled to the data directory and replayed at start: the database
 * and the "Slack" history stay in step across restarts.
 */
export class DemoWorkspace {
  private readonly triggers = new Map<string, string>();
  private readonly modals = new Map<string, DemoModal[]>();
  private readonly shownAt = new WeakMap<object, number>();
  private readonly responseTimes = new WeakMap<object, number>();
  private readonly listeners = new Set<() => void>();
  private readonly stoppers = new Set<() => void>();
  private counter = 0;
  private journaled = { calls: 0, responses: 0 };
  private signature = '';
  private timer: NodeJS.Timeout | undefined;
  /** While set, new posts show this time instead of now (the seed tells its story over past weeks). */
  pretendTime: number | undefined;
  version = 0;

  constructor(
    readonly slack: FakeSlack,
    private readonly journalPath: string,
  ) {}

  start(): void {
    for (const entry of readJournal(this.journalPath)) {
      if ('call' in entry) {
        this.slack.calls.push(entry.call);
        if (entry.shownAt) this.shownAt.set(entry.call, entry.shownAt);
      } else {
        this.slack.responses.push(entry.response);
        this.responseTimes.set(entry.response, entry.at);
      }
    }
    this.journaled = { calls: this.slack.calls.length, responses: this.slack.responses.length };
    this.slack.onCall((call) => this.onCall(call));
    // Polling the stand-in's arrays is simpler than hooking every path into it, and cheap at this size.
    this.timer = setInterval(() => this.check(), 100);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.listeners.clear();
    for (const stopper of this.stoppers) stopper();
    this.stoppers.clear();
  }

  /** Runs `stopper` when the demo stops (to end open event streams, which would hold the server open). */
  onStop(stopper: () => void): void {
    this.stoppers.add(stopper);
  }

  /** Calls `listener` whenever what the page shows may have changed; returns a function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A fresh trigger_id for a request made as `userId`: the modal Tandem opens with it is theirs. */
  trigger(userId: string): string {
    const id = `${Date.now()}.${++this.counter}.demo`;
    this.triggers.set(id, userId);
    return id;
  }

  /** A response_url whose answers show, only to `userId`, in `channelId`. */
  responseUrl(userId: string, channelId: string): string {
    return this.slack.responseUrl(`${userId}~${channelId}~${++this.counter}`);
  }

  modalOf(userId: string): DemoModal | undefined {
    return this.modals.get(userId)?.at(-1);
  }

  /** What a view_submission's answer asks for: errors, update, push, clear, or (nothing) close. */
  answerSubmission(userId: string, modal: DemoModal, answer: Json): void {
    const stack = this.modals.get(userId) ?? [];
    const action = answer.response_action;
    if (action === 'errors') modal.errors = (answer.errors as Record<string, string>) ?? {};
    else if (action === 'update') Object.assign(modal, { view: answer.view, errors: {} });
    else if (action === 'push') stack.push({ id: this.viewId(), view: answer.view as Json, errors: {} });
    else if (action === 'clear') stack.length = 0;
    else stack.splice(stack.indexOf(modal), 1);
    this.changed();
  }

  closeModal(userId: string, viewId: string): void {
    const stack = this.modals.get(userId) ?? [];
    const index = stack.findIndex((m) => m.id === viewId);
    if (index >= 0) stack.splice(index, 1);
    this.changed();
  }

  /** An ephemeral answer that came back in an HTTP response (a command's ack with text). */
  addEphemeral(userId: string, channelId: string, body: Json): void {
    const response = { id: `${userId}~${channelId}~ack${++this.counter}`, body };
    this.slack.responses.push(response);
    this.responseTimes.set(response, Date.now());
  }

  /** Everything `userId` sees: channels with threads and their own ephemerals, their Home, DMs and modal. */
  snapshot(userId: string) {
    const byChannel = new Map<string, DemoMessage[]>();
    const byTs = new Map<string, DemoMessage>();
    const home = new Map<string, Json>();
    const add = (channel: string, message: DemoMessage, threadTs?: string) => {
      const parent = threadTs ? byTs.get(`${channel}/${threadTs}`) : undefined;
      if (parent) parent.replies.push(message);
      else byChannel.set(channel, [...(byChannel.get(channel) ?? []), message]);
    };
    for (const call of this.slack.calls) {
      if (call.ok !== true) continue;
      const a = call.args;
      const at = this.shownAt.get(call) ?? call.at;
      const channel = String(a.channel ?? '');
      if (call.method === 'chat.postMessage' && call.ts) {
        const message = messageOf(call.ts, at, a);
        byTs.set(`${channel}/${call.ts}`, message);
        add(channel, message, a.thread_ts as string | undefined);
      } else if (call.method === 'chat.update') {
        const message = byTs.get(`${channel}/${String(a.ts)}`);
        if (message) Object.assign(message, { text: String(a.text ?? ''), blocks: a.blocks ?? [], edited: true });
      } else if (call.method === 'chat.postEphemeral' && a.user === userId) {
        add(channel, { ...messageOf(`e${call.at}`, at, a), onlyFor: userId }, a.thread_ts as string | undefined);
      } else if (call.method === 'views.publish') {
        home.set(String(a.user_id), a.view as Json);
      }
    }
    for (const response of this.slack.responses) {
      const [user, channel = ''] = response.id.split('~');
      if (user !== userId || response.body.delete_original) continue;
      const at = this.responseTimes.get(response) ?? Date.now();
      add(channel, { ...messageOf(`r${at}`, at, response.body), onlyFor: userId });
    }
    const sortByTime = (list: DemoMessage[]) => list.sort((x, y) => x.at - y.at);
    return {
      me: userId,
      people: DEMO_PEOPLE_LIST,
      channels: Object.values(DEMO_CHANNELS).map((c) => ({ ...c, messages: sortByTime(byChannel.get(c.id) ?? []) })),
      // Tandem writes to a person by posting to their user id: Slack's app DM.
      appMessages: sortByTime([...(byChannel.get(userId) ?? []), ...(byChannel.get(`D${userId}`) ?? [])]),
      home: home.get(userId) ?? null,
      modal: this.modalOf(userId) ?? null,
    };
  }

  private onCall(call: RecordedCall): void {
    if (this.pretendTime !== undefined) this.shownAt.set(call, this.pretendTime + this.counter++ * 1000);
    const a = call.args;
    const view = typeof a.view === 'string' ? (JSON.parse(a.view) as Json) : (a.view as Json | undefined);
    if (!view) return;
    if (call.method === 'views.open' || call.method === 'views.push') {
      const user = this.triggers.get(String(a.trigger_id));
      if (!user) return;
      const stack = this.modals.get(user) ?? [];
      if (call.method === 'views.open') stack.length = 0;
      stack.push({ id: this.viewId(), view, errors: {} });
      this.modals.set(user, stack);
    } else if (call.method === 'views.update') {
      for (const stack of this.modals.values()) {
        const modal = stack.find((m) => m.id === a.view_id || (a.external_id && m.view.external_id === a.external_id));
        if (modal) Object.assign(modal, { view, errors: {} });
      }
    }
    this.changed();
  }

  private viewId(): string {
    return `VDEMO${++this.counter}`;
  }

  private check(): void {
    const { calls, responses } = this.slack;
    const settled = calls.filter((c) => c.ok !== undefined).length;
    const signature = `${calls.length}/${settled}/${responses.length}`;
    if (signature === this.signature) return;
    this.signature = signature;
    this.journal();
    this.changed();
  }

  /** Appends calls that have been answered, in order, and new responses. */
  private journal(): void {
    const lines: string[] = [];
    const { calls, responses } = this.slack;
    while (this.journaled.calls < calls.length) {
      const call = calls[this.journaled.calls] as RecordedCall;
      if (call.ok === undefined && call.status === 200) break;
      this.journaled.calls++;
      if (call.ok && REMEMBERED.has(call.method) && this.remembers(call)) {
        lines.push(JSON.stringify({ call, shownAt: this.shownAt.get(call) } satisfies JournalEntry));
      }
    }
    for (; this.journaled.responses < responses.length; this.journaled.responses++) {
      const response = responses[this.journaled.responses] as RecordedResponse;
      const at = this.responseTimes.get(response) ?? this.pretendTime ?? Date.now();
      this.responseTimes.set(response, at);
      lines.push(JSON.stringify({ response, at } satisfies JournalEntry));
    }
    appendJournal(this.journalPath, lines);
  }

  private remembers(call: RecordedCall): boolean {
    const channel = String(call.args.channel ?? '');
    return call.method === 'views.publish' || CHANNEL_IDS.has(channel) || /^[UWD]/.test(channel);
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}

function messageOf(ts: string, at: number, args: Json): DemoMessage {
  return {
    ts,
    at,
    text: String(args.text ?? ''),
    blocks: (args.blocks as unknown[]) ?? [],
    edited: false,
    replies: [],
  };
}
