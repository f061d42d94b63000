/**
 * The load generator: node:http with keep-alive agents (fetch hides its connection pool, and a new connection
 * per request would measure TCP set-up), a closed-loop runner with N requests in flight, and an open-loop runner
 * that sends at a steady rate whatever the answers (so a slow answer cannot hold the next request back and hide
 * itself: latency is measured, not politeness).
 */
import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  body: string;
  /** performance.now() when the request was started and when its whole answer had arrived. */
  sentAt: number;
  answeredAt: number;
}

/** A keep-alive agent with one socket per concurrent request. */
export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/**
 * POSTs `body` and resolves with the answer once it has been read in full. A request that fails on a kept-alive
 * socket the server had just closed (its keep-alive timeout is 5 s; a bench pauses longer between measurements)
 * is sent again on a new one, as Node's documentation advises (`reusedSocket`).
 */
export async function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<Reply> {
  try {
    return await postOnce(agent, url, headers, body);
  } catch (err) {
    if ((err as { reusedSocket?: boolean }).reusedSocket) return postOnce(agent, url, headers, body);
    throw err;
  }
}

function postOnce(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            sentAt,
            answeredAt: performance.now(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url} within 30 s`)));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(Object.assign(err, { reusedSocket: req.reusedSocket && err.code === 'ECONNRESET' })),
    );
    req.end(body);
  });
}

/** Runs `task(0..count-1)` with `concurrency` in flight at once; each worker starts its next as its last ends. */
export async function closedLoop(
  concurrency: number,
  count: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Runs `task` with `concurrency` in flight until `durationMs` has passed; resolves with how many completed and
 * the time they took (the last in-flight tasks are waited for and counted).
 */
export async function closedLoopFor(
  concurrency: number,
  durationMs: number,
  task: (index: number) => Promise<void>,
): Promise<{ completed: number; seconds: number }> {
  const started = performance.now();
  const deadline = started + durationMs;
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { completed: next, seconds: (performance.now() - started) / 1000 };
}

/**
 * Starts `task(i)` at `i / ratePerSecond` seconds from now, for i < count, and waits for all of them. The task is
 * also given the time it was due (performance.now()): measured from there, a send the load generator itself made
 * late (its timers fire late when its process is busy) counts as waiting too.
 */
export async function openLoop(
  ratePerSecond: number,
  count: number,
  task: (index: number, dueAt: number) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const running: Array<Promise<void>> = [];
  let failure: unknown;
  for (let i = 0; i < count && failure === undefined; i++) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Caught at once: a task failing while later ones are still being started must not be an unhandled rejection.
    running.push(
      task(i, due).catch((err: unknown) => {
        failure ??= err;
      }),
    );
  }
  await Promise.all(running);
  if (failure !== undefined) throw failure;
}
