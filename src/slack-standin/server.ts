import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type {
  Fault,
  PendingFault,
  RecordedCall,
  RecordedResponse,
  StandInOptions,
  StandInProfile,
  UploadedFile,
} from './types.js';
import { answerWebApi, faultAnswer, parseArgs, readBody } from './web-api.js';

export type * from './types.js';

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
      const failed = fault && (await faultAnswer(fault));
      if (failed) {
        call.status = failed.status;
        return failed;
      }
      const body = answerWebApi(this, method, args);
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

  /** The next message ts, in seconds: unique for the stand-in's life. */
  nextTs(): number {
    return ++this.tsCounter;
  }
}
