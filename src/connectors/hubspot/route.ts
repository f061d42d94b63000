import type { Deps } from '../../deps.js';
import { type Route, sendJson } from '../../http/server.js';
import type { InboxEvent } from '../inbox.js';
import { parseJsonBody, readConnectorBody, storeOrRefuse } from '../intake.js';
import { hubspotWebhookBatch } from './schema.js';
import { isWatched } from './translate.js';
import { signedUri, verifyHubSpotRequest } from './verify.js';

export const HUBSPOT_PATH = '/connectors/hubspot';
export const HUBSPOT_BODY_LIMIT = 1024 * 1024;

/**
 * HubSpot's webhook target: size limit, signature, JSON, schema, then the batch stored in one transaction and a
 * 200 at once. The API reads happen later, in the inbox worker, so a slow or failing HubSpot API never slows this
 * answer (HubSpot retries targets that take more than a few seconds).
 */
export function hubspotRoute({ db, config, metrics }: Pick<Deps, 'db' | 'config' | 'metrics'>): Route {
  const count = (result: string, n = 1) => n > 0 && metrics.connectorEvents.inc({ crm: 'hubspot', result }, n);
  return {
    method: 'POST',
    path: HUBSPOT_PATH,
    async handle(req, res, ctx) {
      const hubspot = config.hubspot;
      if (!hubspot) {
        req.resume();
        ctx.log.warn('HubSpot event refused: HUBSPOT_CLIENT_SECRET is not set');
        return sendJson(res, 503, { ok: false, error: 'connector_not_configured' });
      }
      const refuse = (status: number, error: string) => sendJson(res, status, { ok: false, error });
      const raw = await readConnectorBody(req, HUBSPOT_BODY_LIMIT, refuse);
      if (!raw) return;
      const verified = verifyHubSpotRequest(
        {
          method: req.method ?? 'POST',
          uri: signedUri(hubspot.publicUrl, req.url ?? HUBSPOT_PATH),
          headers: req.headers,
          body: raw,
        },
        hubspot.clientSecret,
      );
      if (!verified.ok) {
        ctx.log.warn({ reason: verified.reason }, 'HubSpot event refused: signature');
        return sendJson(res, 401, { ok: false, error: 'unauthorized' });
      }
      const batch = parseJsonBody(raw, hubspotWebhookBatch, res);
      if (!batch) return;
      const watched: InboxEvent[] = [];
      for (const e of batch) {
        if (!isWatched(e, hubspot.handoffTrigger)) continue;
        watched.push({
          // eventId alone is not unique (HubSpot's docs): the event is its portal, id, object, property and time.
          dedupeKey: [e.portalId, e.eventId, e.objectId, e.propertyName ?? '', e.occurredAt].join(':'),
          kind: e.subscriptionType,
          objectId: e.objectId,
          payload: e,
        });
      }
      const stored = await storeOrRefuse(db, 'hubspot', watched, refuse, ctx);
      if (stored === undefined) return;
      const ignored = batch.length - watched.length;
      count('received', batch.length);
      count('ignored', ignored);
      count('duplicate', watched.length - stored);
      ctx.log.info({ events: batch.length, stored, ignored, signature: verified.version }, 'HubSpot batch accepted');
      sendJson(res, 200, { ok: true, stored, duplicates: watched.length - stored, ignored });
    },
  };
}
