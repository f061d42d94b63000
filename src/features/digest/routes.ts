import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDatabaseUnavailable, isStatementTimeout } from '../../db/errors.js';
import type { Deps } from '../../deps.js';
import { Gate } from '../../http/gate.js';
import { type RequestContext, type Route, sendJson } from '../../http/server.js';
import { isBearer } from '../../http/webhook-auth.js';
import { chartData, chartSpec, chartWeeks } from './chart.js';
import { digestCsv } from './csv.js';
import { computeDigest } from './queries.js';
import { renderChart } from './render.js';
import { digestQuery } from './schema.js';

/** A request for the digest waits this long for the one running before it, then is told to come back. */
export const DIGEST_API_WAIT_MS = 2_000;
/** Seconds a refused caller is told to wait (`Retry-After`). */
const RETRY_AFTER_SECONDS = '5';

/**
 * `GET /api/digest` and `GET /api/digest/chart.png`, for BI tools and dashboards, behind `Bearer
 * <DIGEST_API_TOKEN>` (a token of its own that reads figures and cannot send events). One computation at a time per
 * replica across both, each cancelled after DIGEST_API_TIMEOUT_SECONDS: a burst of year-long queries must not take
 * the database connections and CPU that webhooks and Slack's 3-second acks need.
 */
export function digestApiRoutes(deps: Pick<Deps, 'db' | 'config'>, waitMs = DIGEST_API_WAIT_MS): Route[] {
  const gate = new Gate(1, waitMs);
  return [digestRoute(deps, gate), chartRoute(deps, gate)];
}

/** JSON, or CSV with `format=csv` or `Accept: text/csv` (the query parameter wins, for links in a spreadsheet). */
function digestRoute({ db, config }: Pick<Deps, 'db' | 'config'>, gate: Gate): Route {
  return apiRoute(config, '/api/digest', async (req, res, query) => {
    const options = { slaHours: config.handoffSlaHours, statementTimeoutMs: config.digestApiTimeoutMs };
    const computed = await gate.run(() => computeDigest(db, query.from, query.to, options));
    if (!computed) return busy(res);
    const digest = computed.value;
    const format = query.format ?? (/\btext\/csv\b/i.test(req.headers.accept ?? '') ? 'csv' : 'json');
    if (format === 'json') return sendJson(res, 200, digest);
    const csv = digestCsv(digest);
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="digest-${digest.from.slice(0, 10)}-${digest.to.slice(0, 10)}.csv"`,
      'content-length': Buffer.byteLength(csv),
    });
    res.end(csv);
  });
}

/**
 * The digest's chart as a PNG: the weeks (Mondays in DIGEST_TIMEZONE) overlapping [from, to), clipped to it;
 * without either, the last 8 whole weeks, as the weekly digest shows.
 */
function chartRoute({ db, config }: Pick<Deps, 'db' | 'config'>, gate: Gate): Route {
  return apiRoute(config, '/api/digest/chart.png', async (_req, res, query) => {
    const timeZone = config.schedule.timezone;
    const weeks = chartWeeks(timeZone, query.explicit ? query : { now: query.now });
    const options = { slaHours: config.handoffSlaHours, timeZone };
    const drawn = await gate.run(async () => renderChart(chartSpec(await chartData(db, weeks, options))));
    if (!drawn) return busy(res);
    res.writeHead(200, {
      'content-type': 'image/png',
      'content-length': drawn.value.length,
      'cache-control': 'no-store',
    });
    res.end(drawn.value);
  });
}

type DigestApiQuery = NonNullable<ReturnType<typeof parseDigestQuery>>;

/** What both routes share: the token, the query, and the answers when the database is slow or away. */
function apiRoute(
  config: Deps['config'],
  path: string,
  answer: (req: IncomingMessage, res: ServerResponse, query: DigestApiQuery) => Promise<void>,
): Route {
  return {
    method: 'GET',
    path,
    async handle(req, res, ctx: RequestContext) {
      req.resume();
      const token = config.digestApiToken;
      if (!token) return sendJson(res, 503, { ok: false, error: 'api_not_configured' });
      // A bearer token: a GET has no body to sign. The comparison is constant-time.
      if (!isBearer(req.headers, [token])) return sendJson(res, 401, { ok: false, error: 'unauthorized' });
      const query = parseDigestQuery(req, res, new Date());
      if (!query) return;
      try {
        await answer(req, res, query);
      } catch (err) {
        if (isStatementTimeout(err)) {
          ctx.log.warn({ path, timeoutMs: config.digestApiTimeoutMs }, 'digest cancelled: it took too long');
          res.setHeader('retry-after', RETRY_AFTER_SECONDS);
          return sendJson(res, 503, { ok: false, error: 'timeout' });
        }
        if (!isDatabaseUnavailable(err)) throw err;
        ctx.log.warn({ err, path }, 'database unavailable for the digest');
        sendJson(res, 503, { ok: false, error: 'database_unavailable' });
      }
    },
  };
}

function busy(res: ServerResponse): void {
  res.setHeader('retry-after', RETRY_AFTER_SECONDS);
  sendJson(res, 503, { ok: false, error: 'busy' });
}

/**
 * `?from=&to=&format=`, or undefined once it has answered 400 saying what is wrong. `explicit`: the caller named a
 * period (rather than taking the default).
 */
function parseDigestQuery(req: IncomingMessage, res: ServerResponse, now: Date) {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const parsed = digestQuery(now).safeParse({
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    format: params.get('format') ?? undefined,
  });
  if (parsed.success) return { ...parsed.data, now, explicit: params.has('from') || params.has('to') };
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  sendJson(res, 400, { ok: false, error: 'invalid_query', issues });
  return undefined;
}
