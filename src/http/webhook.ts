import type { z } from 'zod';
import type { Db } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { recordEventOnce } from '../db/events.js';
import type { Deps } from '../deps.js';
import { resolvePerson } from '../features/people/record.js';
import type { Person } from '../slack/user-directory.js';
import { BodyTooLargeError, readBody } from './body.js';
import { type RequestContext, type Route, sendJson } from './server.js';
import { isAuthorisedWebhook } from './webhook-auth.js';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WebhookSpec<Event extends { event_id: string }, Prepared = undefined> {
  path: string;
  /** Stored with the event id, for the log and for operators. */
  kind: string;
  schema: z.ZodType<Event>;
  /**
   * The person the event names. They are found in Slack before the transaction starts (a Slack lookup must not
   * hold a database connection), and a lookup that fails leaves them unresolved rather than failing the request.
   */
  owner(event: Event): Person | undefined;
  /** Advisory-lock keys taken with the event id (recordEventOnce), held by `apply` until the commit. */
  locks?(event: Event): string[];
  /** Work that must not hold the transaction's locks, done just before it; its result is handed to `apply`. */
  prepare?(event: Event, ownerSlackUserId: string | null): Promise<Prepared>;
  /**
   * Stores the event's facts and their outbox rows; runs in the transaction that records the event id. Returns
   * 'stale' when the event is older than what is stored for its object and so changed nothing: its id is still
   * recorded (a redelivery stays a duplicate) and the sender is told so.
   */
  apply(
    trx: Db,
    event: Event,
    ownerSlackUserId: string | null,
    ctx: RequestContext,
    prepared: Prepared | undefined,
  ): Promise<'stale' | undefined>;
}

class DuplicateEvent extends Error {}

/**
 * A CRM webhook: size limit, authentication, JSON, schema, idempotency by event_id, one transaction for the
 * facts and their Slack posts, and an answer only once that transaction has committed.
 */
export function webhookRoute<Event extends { event_id: string }, Prepared = undefined>(
  { db, config, users }: Pick<Deps, 'db' | 'config' | 'users'>,
  spec: WebhookSpec<Event, Prepared>,
): Route {
  return {
    method: 'POST',
    path: spec.path,
    async handle(req, res, ctx) {
      const secrets = config.webhookSecrets;
      if (secrets.length === 0) {
        req.resume();
        ctx.log.warn({ path: spec.path }, 'webhook refused: WEBHOOK_SECRET is not set');
        return sendJson(res, 503, { ok: false, error: 'webhooks_not_configured' });
      }
      let raw: Buffer;
      try {
        raw = await readBody(req, WEBHOOK_BODY_LIMIT);
      } catch (err) {
        if (err instanceof BodyTooLargeError) return sendJson(res, 413, { ok: false, error: 'payload_too_large' });
        throw err;
      }
      if (!isAuthorisedWebhook(req.headers, raw, { secrets, allowBearer: config.webhookAllowBearer })) {
        return sendJson(res, 401, { ok: false, error: 'unauthorized' });
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendJson(res, 400, { ok: false, error: 'invalid_json' });
      }
      const parsed = spec.schema.safeParse(json);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
        return sendJson(res, 400, { ok: false, error: 'invalid_payload', issues });
      }
      const event = parsed.data;
      const log = ctx.log.child({ eventId: event.event_id, kind: spec.kind });

      let applied: 'stale' | undefined;
      try {
        const ownerSlackUserId = await resolvePerson({ db, users }, spec.owner(event));
        const prepared = await spec.prepare?.(event, ownerSlackUserId);
        applied = await db.transaction().execute(async (trx) => {
          const locks = spec.locks?.(event);
          if (!(await recordEventOnce(trx, event.event_id, spec.kind, locks))) throw new DuplicateEvent();
          return spec.apply(trx, event, ownerSlackUserId, { ...ctx, log }, prepared);
        });
      } catch (err) {
        if (err instanceof DuplicateEvent) {
          log.info('duplicate event ignored');
          return sendJson(res, 200, { ok: true, duplicate: true });
        }
        if (isDatabaseUnavailable(err)) {
          log.warn({ err }, 'database unavailable; asking the sender to retry');
          return sendJson(res, 503, { ok: false, error: 'database_unavailable' });
        }
        throw err;
      }
      if (applied === 'stale') {
        log.info('stale event recorded; a newer one was applied before it');
        return sendJson(res, 200, { ok: true, stale: true });
      }
      log.info('event accepted');
      sendJson(res, 202, { ok: true, id: event.event_id });
    },
  };
}
