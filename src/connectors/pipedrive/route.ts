import type { Deps } from '../../deps.js';
import { type Route, sendJson } from '../../http/server.js';
import { parseJsonBody, readConnectorBody, storeOrRefuse } from '../intake.js';
import { pipedriveWebhook } from './schema.js';
import { isWatched } from './translate.js';
import { basicAuthMatches } from './verify.js';

export const PIPEDRIVE_PATH = '/connectors/pipedrive';
export const PIPEDRIVE_BODY_LIMIT = 1024 * 1024;

/**
 * Pipedrive's webhook target (v2): Basic auth, size limit, JSON, schema, then the event stored and a 200 at once;
 * the owner's email is read later, in the inbox worker, so a slow Pipedrive API never slows this answer.
 */
export function pipedriveRoute({ db, config, metrics }: Pick<Deps, 'db' | 'config' | 'metrics'>): Route {
  const count = (result: string) => metrics.connectorEvents.inc({ crm: 'pipedrive', result });
  return {
    method: 'POST',
    path: PIPEDRIVE_PATH,
    async handle(req, res, ctx) {
      const refuse = (status: number, error: string) => sendJson(res, status, { ok: false, error });
      const pipedrive = config.pipedrive;
      if (!pipedrive) {
        req.resume();
        ctx.log.warn('Pipedrive event refused: PIPEDRIVE_WEBHOOK_USER and PIPEDRIVE_WEBHOOK_PASSWORD are not set');
        return refuse(503, 'connector_not_configured');
      }
      if (!basicAuthMatches(req.headers.authorization, pipedrive.user, pipedrive.password)) {
        req.resume();
        ctx.log.warn('Pipedrive event refused: credentials');
        res.setHeader('www-authenticate', 'Basic realm="tandem"');
        return refuse(401, 'unauthorized');
      }
      const raw = await readConnectorBody(req, PIPEDRIVE_BODY_LIMIT, refuse);
      if (!raw) return;
      const body = parseJsonBody(raw, pipedriveWebhook, res);
      if (!body) return;
      count('received');
      if (!isWatched(body)) {
        count('ignored');
        return sendJson(res, 200, { ok: true, stored: 0, duplicates: 0, ignored: 1 });
      }
      const { meta } = body;
      const objectId = String(meta.entity_id ?? body.data?.id ?? '');
      // A retry repeats everything but `attempt`: the event is its object, action, id, time and correlation.
      const dedupeKey = [
        meta.entity,
        objectId,
        meta.action,
        meta.id ?? '',
        meta.timestamp ?? '',
        meta.correlation_id ?? '',
      ].join(':');
      const stored = await storeOrRefuse(
        db,
        'pipedrive',
        [{ dedupeKey, kind: `${meta.entity}.${meta.action}`, objectId, payload: body }],
        refuse,
        ctx,
      );
      if (stored === undefined) return;
      if (stored === 0) count('duplicate');
      ctx.log.info({ kind: `${meta.entity}.${meta.action}`, objectId, stored }, 'Pipedrive event accepted');
      sendJson(res, 200, { ok: true, stored, duplicates: 1 - stored, ignored: 0 });
    },
  };
}
