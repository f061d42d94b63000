import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { REQUEST_ID_HEADER } from '../slack/app.js';

export interface RequestContext {
  requestId: string;
  log: Logger;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void | Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** How long a client may take, and how many may be connected at once: a slow or hostile one cannot hold the server. */
export interface HttpServerLimits {
  /** Until the request's headers are complete (slowloris sends them a byte at a time). */
  headersTimeoutMs: number;
  /** Until the whole request, body included, has arrived. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** Sockets beyond this are closed as they connect. */
  maxConnections: number;
}

/**
 * Headers within 10 s and the whole request within 30 s are far more than Slack, a CRM or a load balancer needs;
 * keep-alive 5 s stays below the usual load balancer idle timeout (60 s) on the right side: the proxy must not
 * reuse a socket we are closing, and it opens a new one cheaply. 1024 sockets is well under the default open-file
 * limit, so a flood of connections meets a refusal here, not EMFILE in the database pool or the outbox.
 */
export const DEFAULT_HTTP_LIMITS: HttpServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
};

/**
 * The one HTTP server on PORT, in both Slack modes: our routes (health, metrics, webhooks) and, in HTTP mode,
 * Slack's requests, which go to Bolt's receiver untouched so it can check their signatures on the raw bytes.
 */
export function createHttpServer(
  routes: Route[],
  logger: Logger,
  metrics: Metrics,
  limits: Partial<HttpServerLimits> = {},
): Server {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = {
    ...DEFAULT_HTTP_LIMITS,
    ...limits,
  };
  const table = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  const knownPaths = new Set(routes.map((route) => route.path));

  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // Node checks the two timeouts above on this interval (30 s by default), so a deadline is kept to within it.
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(headersTimeoutMs / 4))),
    },
    (req, res) => {
      const started = process.hrtime.bigint();
      const incoming = req.headers[REQUEST_ID_HEADER];
      const requestId = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      req.headers[REQUEST_ID_HEADER] = requestId;
      res.setHeader(REQUEST_ID_HEADER, requestId);
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const route = table.get(`${req.method} ${path}`);
      const routeLabel = route ? path : 'unmatched';
      // Made when first used: a pino child serialises and redacts its bindings, and most requests log nothing.
      let log: Logger | undefined;
      const requestLog = () => (log ??= logger.child({ requestId }));

      res.on('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.httpRequests.inc({ route: routeLabel, method: req.method ?? '', status: String(res.statusCode) });
        metrics.httpDuration.observe({ route: routeLabel }, seconds);
        if (!logger.isLevelEnabled('debug')) return;
        requestLog().debug(
          { method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 1000) },
          'request',
        );
      });

      if (!route) {
        req.resume();
        if (knownPaths.has(path)) sendJson(res, 405, { ok: false, error: 'method_not_allowed' });
        else sendJson(res, 404, { ok: false, error: 'not_found' });
        return;
      }
      // A route handler that throws must not take the process down (Node would crash on the rejection).
      Promise.resolve()
        .then(() =>
          route.handle(req, res, {
            requestId,
            get log() {
              return requestLog();
            },
          }),
        )
        .catch((err) => {
          requestLog().error({ err, path }, 'request handler failed');
          sendJson(res, 500, { ok: false, error: 'internal_error' });
        });
    },
  );
  server.maxConnections = maxConnections;
  return server;
}

/** Stops accepting connections and resolves when open requests have finished (or after `graceMs`). */
export function closeHttpServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
