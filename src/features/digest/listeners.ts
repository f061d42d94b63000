import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isDatabaseUnavailable } from '../../db/errors.js';
import type { Deps } from '../../deps.js';
import { type Route, sendJson } from '../../http/server.js';
import { isAuthorisedWebhook } from '../../http/webhook-auth.js';
import { chartData, chartSpec, chartWeeks } from './chart.js';
import { chartImageBlock, uploadPrivately, weeklyChart } from './chart-post.js';
import { digestCsv } from './csv.js';
import { computeDigest } from './queries.js';
import { weeklyDigestMessage } from './record.js';
import { renderChart } from './render.js';
import { digestQuery } from './schema.js';

/**
 * `/digest`: ack at once, then show the caller the last 7 days privately through the command's response_url, and
 * after it the 8-week chart (drawn and uploaded meanwhile; if that fails the text has already been shown).
 */
export function showDigest({ db, config, slack }: Pick<Deps, 'db' | 'config' | 'slack'>) {
  return async ({ ack, respond, logger }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const now = new Date();
    const message = await weeklyDigestMessage(db, now, config);
    await respond({ response_type: 'ephemeral', replace_original: false, ...message });
    try {
      const chart = await weeklyChart(db, now, config);
      const blocks = [chartImageBlock(await uploadPrivately(slack.interactive, chart), chart)];
      await respond({ response_type: 'ephemeral', replace_original: false, text: chart.altText, blocks });
    } catch (err) {
      logger.error({ err }, 'the /digest chart could not be shown');
    }
  };
}

const NO_BODY = Buffer.alloc(0);

/**
 * The digest API's check, shared by its routes (JSON/CSV and the chart): answers 503 or 401 itself and returns
 * false when the caller may not in.
 */
export function authorisedForDigestApi(req: IncomingMessage, res: ServerResponse, config: Deps['config']): boolean {
  const secret = config.webhookSecret;
  if (!secret) {
    sendJson(res, 503, { ok: false, error: 'api_not_configured' });
    return false;
  }
  // Only the bearer form: a GET has no body to sign. The comparison is constant-time.
  if (!isAuthorisedWebhook({ authorization: req.headers.authorization }, NO_BODY, secret)) {
    sendJson(res, 401, { ok: false, error: 'unauthorized' });
    return false;
  }
  return true;
}

/**
 * The digest API's `?from=&to=&format=`, or undefined once it has answered 400 saying what is wrong. `explicit`: the
 * caller named a period (rather than taking the default).
 */
function parseDigestQuery(req: IncomingMessage, res: ServerResponse, now: Date) {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const parsed = digestQuery(now).safeParse({
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    format: params.get('format') ?? undefined,
  });
  if (parsed.success) return { ...parsed.data, explicit: params.has('from') || params.has('to') };
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  sendJson(res, 400, { ok: false, error: 'invalid_query', issues });
  return undefined;
}

/**
 * `GET /api/digest?from=&to=`: the digest's figures for BI tools, behind `Bearer <WEBHOOK_SECRET>`: JSON, or CSV
 * with `format=csv` or `Accept: text/csv` (the query parameter wins, for links pasted into a spreadsheet).
 */
export function digestApiRoute({ db, config }: Pick<Deps, 'db' | 'config'>): Route {
  return {
    method: 'GET',
    path: '/api/digest',
    async handle(req, res, ctx) {
      req.resume();
      if (!authorisedForDigestApi(req, res, config)) return;
      const parsed = parseDigestQuery(req, res, new Date());
      if (!parsed) return;
      try {
        const digest = await computeDigest(db, parsed.from, parsed.to, { slaHours: config.handoffSlaHours });
        const format = parsed.format ?? (/\btext\/csv\b/i.test(req.headers.accept ?? '') ? 'csv' : 'json');
        if (format === 'json') return sendJson(res, 200, digest);
        const csv = digestCsv(digest);
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'content-disposition': `attachment; filename="digest-${digest.from.slice(0, 10)}-${digest.to.slice(0, 10)}.csv"`,
          'content-length': Buffer.byteLength(csv),
        });
        res.end(csv);
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        ctx.log.warn({ err }, 'database unavailable for the digest');
        sendJson(res, 503, { ok: false, error: 'database_unavailable' });
      }
    },
  };
}

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
      const now = new Date();
      const parsed = parseDigestQuery(req, res, now);
      if (!parsed) return;
      const timeZone = config.schedule.timezone;
      const weeks = chartWeeks(timeZone, parsed.explicit ? parsed : { now });
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
