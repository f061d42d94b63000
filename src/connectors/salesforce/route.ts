import type { Deps } from '../../deps.js';
import type { Route } from '../../http/server.js';
import type { InboxEvent } from '../inbox.js';
import { readConnectorBody, storeOrRefuse } from '../intake.js';
import { parseOutboundMessage, SOAP_ACK, soapFault } from './soap.js';
import { WATCHED_TYPES } from './translate.js';
import { sameOrg, tokenMatches } from './verify.js';

export const SALESFORCE_PATH = '/connectors/salesforce';
/** 100 notifications of a few dozen fields each fit easily. */
export const SALESFORCE_BODY_LIMIT = 2 * 1024 * 1024;

/** What the inbox keeps of one notification: enough to process it without Salesforce. */
export interface StoredNotification {
  notificationId: string;
  organizationId: string;
  enterpriseUrl: string | undefined;
  type: string;
  fields: Record<string, string | null>;
}

/**
 * Salesforce's Outbound Message endpoint: the token in the URL, the body (size limit, XML, schema), the org, then
 * every watched notification stored in one transaction, and only then the Ack: Salesforce resends anything not
 * acked for 24 hours, so an Ack must never come before the message is safe.
 */
export function salesforceRoute({ db, config, metrics }: Pick<Deps, 'db' | 'config' | 'metrics'>): Route {
  const count = (result: string, n = 1) => n > 0 && metrics.connectorEvents.inc({ crm: 'salesforce', result }, n);
  return {
    method: 'POST',
    path: SALESFORCE_PATH,
    async handle(req, res, ctx) {
      const refuse = (status: number, error: string) => {
        res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' });
        res.end(soapFault(error));
      };
      const salesforce = config.salesforce;
      if (!salesforce) {
        req.resume();
        ctx.log.warn('Salesforce message refused: SALESFORCE_ORG_ID and SALESFORCE_TOKEN are not set');
        return refuse(503, 'connector_not_configured');
      }
      const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
      if (!tokenMatches(token, salesforce.token)) {
        req.resume();
        ctx.log.warn('Salesforce message refused: wrong or missing token');
        return refuse(401, 'unauthorized');
      }
      const raw = await readConnectorBody(req, SALESFORCE_BODY_LIMIT, refuse);
      if (!raw) return;
      const parsed = parseOutboundMessage(raw.toString('utf8'));
      if (!parsed.ok) return refuse(400, parsed.error);
      const message = parsed.message;
      if (!sameOrg(message.OrganizationId, salesforce.orgId)) {
        ctx.log.warn({ organizationId: message.OrganizationId }, 'Salesforce message refused: another org');
        return refuse(401, 'unauthorized');
      }
      const watched: InboxEvent[] = [];
      for (const n of message.Notification) {
        if (!WATCHED_TYPES.has(n.sObject.type)) continue;
        const payload: StoredNotification = {
          notificationId: n.Id,
          organizationId: message.OrganizationId,
          enterpriseUrl: message.EnterpriseUrl,
          type: n.sObject.type,
          fields: n.sObject.fields,
        };
        // The notification id is Salesforce's identity of a delivery; its docs say to check it before processing.
        watched.push({ dedupeKey: n.Id, kind: n.sObject.type, objectId: n.sObject.fields.Id, payload: { ...payload } });
      }
      const stored = await storeOrRefuse(db, 'salesforce', watched, refuse, ctx);
      if (stored === undefined) return;
      count('received', message.Notification.length);
      count('ignored', message.Notification.length - watched.length);
      count('duplicate', watched.length - stored);
      ctx.log.info(
        { notifications: message.Notification.length, stored, actionId: message.ActionId },
        'Salesforce message acked',
      );
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(SOAP_ACK);
    },
  };
}
