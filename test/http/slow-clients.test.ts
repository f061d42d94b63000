import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { FakeSlack } from '../support/fake-slack.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { signedHeaders } from '../support/webhooks.js';

/** Shorter than the defaults (10 s, 30 s, 5 s, 1024) so the test takes seconds; the mechanism is the same. */
const LIMITS = { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 500, maxConnections: 4 };

interface Dribble {
  socket: Socket;
  /** Resolves when the server closes the socket: after how long, and what it answered, if anything. */
  closed: Promise<{ afterMs: number; answer: string }>;
  stop(): void;
}

/** A client that sends `head` at once, then one byte of `rest` every `everyMs`, as a slowloris attack does. */
function dribble(port: number, head: string, rest: string, everyMs = 150): Dribble {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  let timer: NodeJS.Timeout | undefined;
  socket.on('data', (chunk) => {
    answer += chunk.toString('latin1');
  });
  socket.on('error', () => {});
  socket.once('connect', () => {
    socket.write(head);
    let i = 0;
    timer = setInterval(() => {
      if (i < rest.length && !socket.destroyed) socket.write(rest.charAt(i++));
    }, everyMs);
  });
  const closed = new Promise<{ afterMs: number; answer: string }>((resolve) => {
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ afterMs: Date.now() - started, answer });
    });
  });
  return { socket, closed, stop: () => socket.destroy() };
}

/** The socket's fate within `ms`: closed (with when and what), or still open. */
const within = (d: Dribble, ms: number) =>
  Promise.race([d.closed, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms))]);

describe('slow and hostile HTTP clients', () => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    database = await createTestDatabase('pglite');
    app = await startTestApp(slack, database, {}, { http: LIMITS });
    port = app.tandem.port;
  });
  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    await slack?.stop();
  });

  it('cuts off a client that dribbles its headers, and still answers the others meanwhile', async () => {
    const slow = dribble(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-Padding: '.padEnd(200, 'a'));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
      const fate = await within(slow, 4_000);
      expect(fate).not.toBe('still open');
      if (fate === 'still open') return;
      expect(fate.afterMs).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 100);
      expect(fate.answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      slow.stop();
    }
  });

  it('cuts off a client that sends its body too slowly to a webhook', async () => {
    const body = JSON.stringify({ event_id: 'slow-1', lead: { id: 'L-slow', name: 'Slow Sender' } });
    const headers = Object.entries({ ...signedHeaders(body), 'content-length': String(body.length), host: 'x' })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const slow = dribble(port, `POST /webhooks/lead-handoff HTTP/1.1\r\n${headers}\r\n`, body, 100);
    try {
      const fate = await within(slow, 5_000);
      expect(fate).not.toBe('still open');
      if (fate === 'still open') return;
      expect(fate.afterMs).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 100);
      expect(fate.afterMs).toBeLessThan(body.length * 100);
      expect(await app.tandem.deps.db.selectFrom('webhook_events').selectAll().execute()).toEqual([]);
    } finally {
      slow.stop();
    }
  });

  it('refuses sockets beyond the cap and serves again once they are gone', async () => {
    const hogs = Array.from({ length: LIMITS.maxConnections }, () =>
      dribble(port, 'GET /healthz HTTP/1.1\r\n', 'H'.repeat(100), 200),
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const extra = dribble(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', '');
      const fate = await within(extra, 500);
      expect(fate).not.toBe('still open');
      if (fate !== 'still open') expect(fate.answer).toBe('');
    } finally {
      for (const hog of hogs) hog.stop();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
