import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isDatabaseUnavailable, isStatementTimeout } from '../../db/errors.js';
import type { Deps } from '../../deps.js';
import { Gate } from '../../http/gate.js';
import { type Route, sendJson } from '../../http/server.js';
import { isBearer } from '../../http/webhook-auth.js';
import { digestRefusal } from './blocks.js';
import { computeDigest } from './queries.js';
import { weeklyDigestMessage } from './record.js';
import { digestQuery } from './schema.js';

/**
 * `/digest`: ack at once, check the caller may see company revenue (DIGEST_VIEWERS), then show them the last 7
 * days privately through the command's response_url.
 */
export function showDigest({ db, config, access }: Pick<Deps, 'db' | 'config' | 'access'>) {
  return async ({ ack, respond, command }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const viewers = config.access.digestViewers;
    if (!(await access.allows(viewers, command.user_id))) {
      await respond({ response_type: 'ephemeral', text: digestRefusal(viewers ?? []) });
      return;
    }
    const message = await weeklyDigestMessage(db, new Date(), config);
    await respond({ response_type: 'ephemeral', replace_original: false, ...message });
  };
}

/** A request for the digest waits this long for the one running before it, then is told to come back. */
export const DIGEST_API_WAIT_MS = 2_000;
/** Seconds a refused caller is told to wait (`Retry-After`). */
const RETRY_AFTER_SECONDS = '5';

/**
 * `GET /api/digest?from=&to=`: the digest's figures as JSON for BI tools, behind `Bearer <DIGEST_API_TOKEN>`, a
 * token of its own that reads figures and cannot send events. One computation at a time per replica, each
 * cancelled after DIGEST_API_TIMEOUT_SECONDS: a burst of year-long queries must not take the database connections
 * and CPU that webhooks and Slack's 3-second acks need.
 */
export function digestApiRoute({ db, config }: Pick<Deps, 'db' | 'config'>, waitMs = DIGEST_API_WAIT_MS): Route {
  const gate = new Gate(1, waitMs);
  return {
    method: 'GET',
    path: '/api/digest',
    async handle(req, res, ctx) {
      req.resume();
      const token = config.digestApiToken;
      if (!token) return sendJson(res, 503, { ok: false, error: 'api_not_configured' });
      // A bearer token: a GET has no body to sign. The comparison is constant-time.
      if (!isBearer(req.headers, [token])) {
        return sendJson(res, 401, { ok: false, error: 'unauthorized' });
      }
      const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const parsed = digestQuery(new Date()).safeParse({
        from: params.get('from') ?? undefined,
        to: params.get('to') ?? undefined,
      });
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
        return sendJson(res, 400, { ok: false, error: 'invalid_query', issues });
      }
      const { from, to } = parsed.data;
      const options = { slaHours: config.handoffSlaHours, statementTimeoutMs: config.digestApiTimeoutMs };
      try {
        const computed = await gate.run(() => computeDigest(db, from, to, options));
        if (!computed) {
          res.setHeader('retry-after', RETRY_AFTER_SECONDS);
          return sendJson(res, 503, { ok: false, error: 'busy' });
        }
        sendJson(res, 200, computed.value);
      } catch (err) {
        if (isStatementTimeout(err)) {
          ctx.log.warn({ from, to, timeoutMs: config.digestApiTimeoutMs }, 'digest cancelled: it took too long');
          res.setHeader('retry-after', RETRY_AFTER_SECONDS);
          return sendJson(res, 503, { ok: false, error: 'timeout' });
        }
        if (!isDatabaseUnavailable(err)) throw err;
        ctx.log.warn({ err }, 'database unavailable for the digest');
        sendJson(res, 503, { ok: false, error: 'database_unavailable' });
      }
    },
  };
}
