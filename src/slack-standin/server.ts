import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One Web API call the app made, as the fake Slack received it. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
  /** What the fake answered: 200 with ok true/false, or the injected status. */
  status: number;
  /** Whether the answer was `ok: true`. */
  ok?: boolean;
  /** The ts the fake gave a posted message. */
  ts?: string;
}

/** A file uploaded through files.getUploadURLExternal → POST → files.completeUploadExternal. */
export interface UploadedFile {
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  /** The bytes POSTed to the upload URL, once they arrived. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  completed?: { title: unknown; channel_id: unknown; thread_ts: unknown };
}

/** A message posted to a response_url. */
export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
}

/** Who a user is, for users.info (and for anything that shows people by name). */
export interface StandInProfile {
  name: string;
  realName: string;
  email?: string;
  title?: string;
  /** users.info `tz`: the user's IANA time zone. */
  tz?: string;
  /** The custom status: `profile.status_emoji`, `profile.status_text`, `profile.status_expiration` (unix s, 0: never). */
  status?: { emoji: string; text?: string; expiration: number };
}

export interface StandInOptions {
  /**
   * Seconds of the first message ts. A stand-in that reloads earlier messages (the demo, across restarts) starts
   * past them so a new message never takes an old one's ts.
   */
  firstTs?: number;
}

export type Fault =
  | { kind: 'ratelimited'; retryAfter: number }
  | { kind: 'http'; status: number }
  | { kind: 'error'; error: string }
  | { kind: 'hang'; ms: number };

interface PendingFault {
  fault: Fault;
  remaining: number;
  when?: (args: Record<string, unknown>) => boolean;
}

/**
 * A Slack-compatible HTTP server for tests: answers the Web API methods Tandem calls, records every call,
 * fails on demand (429 with Retry-After, 5xx, ok:false, a hang), receives response_url posts, and speaks
 * Socket Mode (apps.connections.open hands out a ws:// URL of its own).
 */
export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  /** Files by id, from the first of the three upload steps on. */
  readonly files = new Map<string, UploadedFile>();
  /** Email → Slack user id, for users.lookupByEmail. */
  readonly users = new Map<string, string>();
  /** Slack user id → profile, for users.info. */
  readonly profiles = new Map<string, StandInProfile>();
  /** User group id → its members' user ids, for usergroups.users.list. */
  readonly userGroups = new Map<string, string[]>();
  /** Slack user id → workspace role, for users.info's is_admin / is_owner (everyone else is a member). */
  readonly roles = new Map<string, 'admin' | 'owner'>();
  private readonly faults = new Map<string, PendingFault[]>();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly socketAcks = new Map<string, (ack: Record<string, unknown>) => void>();
  private tsCounter: number;
  private envelopeCounter = 0;
  private waiters: Array<() => void> = [];
  private readonly callListeners = new Set<(call: RecordedCall) => void>();
  port = 0;

  constructor(options: StandInOptions = {}) {
    this.tsCounter = options.firstTs ?? 1_700_000_000;
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        },
        (err) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/socket' });
    this.wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { envelope_id?: string };
        if (message.envelope_id) this.socketAcks.get(message.envelope_id)?.(message);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack' } }));
      this.notify();
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The SLACK_API_URL to give the app. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response_url; what is posted to it lands in `responses` under this id. */
  responseUrl(id = `r${this.responses.length}-${Math.random().toString(36).slice(2, 8)}`): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** Makes the next `times` calls of `method` (optionally only those matching `when`) fail as described. */
  fail(method: string, fault: Fault, times = 1, when?: (args: Record<string, unknown>) => boolean): void {
    const list = this.faults.get(method) ?? [];
    list.push({ fault, remaining: times, when });
    this.faults.set(method, list);
  }

  /** Calls `listener` as each Web API call is recorded, before it is answered; returns a function that stops it. */
  onCall(listener: (call: RecordedCall) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** Forgets recorded calls, responses and faults (users stay). */
  reset(): void {
    this.calls.length = 0;
    this.files.clear();
    this.responses.length = 0;
    this.faults.clear();
    this.roles.clear();
    this.profiles.clear();
  }

  /** Forgets every pending fault: Slack is healthy again. */
  clearFaults(): void {
    this.faults.clear();
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Successful calls of `method` (answered 200 with `ok: true`). */
  okCallsOf(method: string): RecordedCall[] {
    return this.callsOf(method).filter((call) => call.status === 200 && call.ok === true);
  }

  /** Resolves when `predicate` holds, re-checking after every request the fake receives. */
  async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 5_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  get socketConnections(): number {
    return this.sockets.size;
  }

  /** Sends a Socket Mode envelope to the connected app and resolves with the app's acknowledgement. */
  async sendOverSocket(type: 'slash_commands' | 'interactive' | 'events_api', payload: object, timeoutMs = 3_000) {
    const ws = [...this.sockets][0];
    if (!ws) throw new Error('no Socket Mode connection');
    const envelopeId = `env-${++this.envelopeCounter}`;
    const acked = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`envelope ${envelopeId} not acknowledged`)), timeoutMs);
      this.socketAcks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    ws.send(
      JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }),
    );
    return acked;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const rawBytes = await readBody(req);
    const raw = rawBytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    try {
      if (url.pathname.startsWith('/upload/')) {
        // The upload URL files.getUploadURLExternal handed out: raw bytes in the body, as Slack accepts them.
        const file = this.files.get(url.pathname.slice('/upload/'.length));
        if (!file || req.method !== 'POST') return { status: 404, body: { ok: false, error: 'unknown_upload' } };
        file.bytes = rawBytes;
        return { status: 200, body: { ok: true } };
      }
      if (url.pathname.startsWith('/response/')) {
        this.responses.push({ id: url.pathname.slice('/response/'.length), body: JSON.parse(raw || '{}') });
        return { status: 200, body: { ok: true } };
      }
      if (!url.pathname.startsWith('/api/')) return { status: 404, body: { ok: false, error: 'unknown_path' } };
      const method = url.pathname.slice('/api/'.length);
      const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
      const auth = req.headers.authorization;
      const token = typeof auth === 'string' ? auth.replace(/^Bearer /, '') : (args.token as string | undefined);
      const call: RecordedCall = { method, args, token, at: Date.now(), status: 200 };
      this.calls.push(call);
      for (const listener of this.callListeners) listener(call);

      const fault = this.takeFault(method, args);
      if (fault) {
        switch (fault.kind) {
          case 'ratelimited':
            call.status = 429;
            return {
              status: 429,
              body: { ok: false, error: 'ratelimited' },
              headers: { 'retry-after': String(fault.retryAfter) },
            };
          case 'http':
            call.status = fault.status;
            return { status: fault.status, body: { ok: false, error: 'fake_http_error' } };
          case 'error':
            call.status = 200;
            return { status: 200, body: { ok: false, error: fault.error } };
          case 'hang':
            await new Promise((resolve) => setTimeout(resolve, fault.ms));
            break;
        }
      }
      const body = this.answer(method, args);
      call.ok = body.ok === true;
      if (typeof body.ts === 'string') call.ts = body.ts;
      return { status: 200, body };
    } finally {
      this.notify();
    }
  }

  private takeFault(method: string, args: Record<string, unknown>): Fault | undefined {
    const list = this.faults.get(method);
    const pending = list?.find((f) => f.remaining > 0 && (!f.when || f.when(args)));
    if (!pending) return undefined;
    pending.remaining -= 1;
    return pending.fault;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'Acme',
          user: 'tandem',
          team_id: 'T0001',
          user_id: 'UBOT0001',
          bot_id: 'BBOT0001',
        };
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket` };
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: `${++this.tsCounter}.000100`, message: { text: args.text } };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${++this.tsCounter}.000200` };
      case 'views.open':
      case 'views.update':
      case 'views.push':
      case 'views.publish':
        return { ok: true, view: { id: `V${this.calls.length}`, ...(parseView(args.view) ?? {}) } };
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (!args.filename || !Number.isInteger(length) || length <= 0)
          return { ok: false, error: 'invalid_arguments' };
        const id = `F${++this.tsCounter}`;
        this.files.set(id, { id, filename: String(args.filename), length });
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        // Slack refuses to complete a file whose bytes did not all arrive.
        const [entry] = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as Array<{
          id: string;
          title?: string;
        }>;
        const file = entry ? this.files.get(entry.id) : undefined;
        if (!file) return { ok: false, error: 'file_not_found' };
        if (file.bytes?.length !== file.length) return { ok: false, error: 'file_upload_incomplete' };
        file.completed = { title: entry?.title, channel_id: args.channel_id, thread_ts: args.thread_ts };
        return { ok: true, files: [{ id: file.id, title: entry?.title }] };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? 'X')}` } };
      case 'users.lookupByEmail': {
        const id = this.users.get(String(args.email ?? '').toLowerCase());
        return id
          ? { ok: true, user: { id, profile: { email: args.email } } }
          : { ok: false, error: 'users_not_found' };
      }
      case 'usergroups.users.list': {
        // Slack's documented shape: { ok, users: [user ids] }; an unknown group is `no_such_subteam`.
        const members = this.userGroups.get(String(args.usergroup ?? ''));
        return members ? { ok: true, users: [...members] } : { ok: false, error: 'no_such_subteam' };
      }
      case 'users.info': {
        // users.info's documented shape: workspace owners are admins too. A user without a profile of their own
        // is named by their id.
        const id = String(args.user ?? '');
        if (!/^[UW][A-Z0-9]{2,}$/.test(id)) return { ok: false, error: 'user_not_found' };
        const role = this.roles.get(id);
        const profile = this.profiles.get(id);
        const email = profile?.email ?? [...this.users].find(([, uid]) => uid === id)?.[0];
        const realName = profile?.realName ?? id;
        return {
          ok: true,
          user: {
            id,
            team_id: 'T0001',
            name: profile?.name ?? id.toLowerCase(),
            real_name: realName,
            deleted: false,
            ...(profile?.tz ? { tz: profile.tz } : {}),
            is_admin: role === 'admin' || role === 'owner',
            is_owner: role === 'owner',
            is_bot: false,
            profile: {
              real_name: realName,
              display_name: profile?.name ?? id,
              ...(email ? { email } : {}),
              ...(profile?.title ? { title: profile.title } : {}),
              status_emoji: profile?.status?.emoji ?? '',
              status_text: profile?.status?.text ?? '',
              status_expiration: profile?.status?.expiration ?? 0,
            },
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function parseView(view: unknown): Record<string, unknown> | undefined {
  if (typeof view === 'string') return JSON.parse(view);
  return view as Record<string, unknown> | undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** WebClient sends form fields, with objects (blocks, view) JSON-encoded inside them. */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw);
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
