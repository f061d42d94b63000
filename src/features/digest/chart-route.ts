import { isDatabaseUnavailable } from '../../db/errors.js';
import type { Deps } from '../../deps.js';
import { type Route, sendJson } from '../../http/server.js';
import { chartData, chartSpec, chartWeeks } from './chart.js';
import { authorisedForDigestApi } from './listeners.js';
import { renderChart } from './render.js';
import { digestQuery } from './schema.js';

/**
 * `GET /api/digest/chart.png?from=&to=`: the digest's chart as a PNG for dashboards, behind the same token as
 * GET /api/digest. The weeks (Mondays in DIGEST_TIMEZONE) overlapping [from, to), clipped to it; without either,
 * the last 8 whole weeks, as the weekly digest shows.
 */
export function digestChartRoute({ db, config }: Pick<Deps, 'db' | 'config'>): Route {
  return {
    method: 'GET',
    path: '/api/digest/chart.png',
    async handle(req, res, ctx) {
      req.resume();
      if (!authorisedForDigestApi(req, res, config)) return;
      const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const now = new Date();
      const parsed = digestQuery(now).safeParse({
        from: params.get('from') ?? undefined,
        to: params.get('to') ?? undefined,
      });
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
        return sendJson(res, 400, { ok: false, error: 'invalid_query', issues });
      }
      const timeZone = config.schedule.timezone;
      const weeks = chartWeeks(timeZone, params.has('from') || params.has('to') ? parsed.data : { now });
      try {
        const data = await chartData(db, weeks, { slaHours: config.handoffSlaHours, timeZone });
        const png = await renderChart(chartSpec(data));
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length, 'cache-control': 'no-store' });
        res.end(png);
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        ctx.log.warn({ err }, 'database unavailable for the digest chart');
        sendJson(res, 503, { ok: false, error: 'database_unavailable' });
      }
    },
  };
}
