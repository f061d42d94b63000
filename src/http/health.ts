import type { DatabaseHandle } from '../db/database.js';
import type { Metrics } from '../metrics.js';
import { type Route, sendJson } from './server.js';

/** `/healthz`: the process serves. `/readyz`: it can do useful work, i.e. the database answers. `/metrics`. */
export function healthRoutes(database: DatabaseHandle, metrics: Metrics, isShuttingDown: () => boolean): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendJson(res, 200, { ok: true }) },
    {
      method: 'GET',
      path: '/readyz',
      async handle(_req, res) {
        if (isShuttingDown()) return sendJson(res, 503, { ok: false, database: 'unknown', shuttingDown: true });
        const up = await database.ping(1_000);
        sendJson(res, up ? 200 : 503, { ok: up, database: up ? 'up' : 'down' });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      async handle(_req, res) {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(body);
      },
    },
  ];
}
