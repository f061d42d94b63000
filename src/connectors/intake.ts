import type { IncomingMessage } from 'node:http';
import type { Db } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { BodyTooLargeError, readBody } from '../http/body.js';
import type { RequestContext } from '../http/server.js';
import { type InboxEvent, storeEvents } from './inbox.js';

/** How a connector's route answers a refusal: each CRM expects its own body (JSON, a SOAP fault). */
export type Refuse = (status: number, error: string) => void;

/** The body within `limit` bytes, or undefined after answering 413. */
export async function readConnectorBody(
  req: IncomingMessage,
  limit: number,
  refuse: Refuse,
): Promise<Buffer | undefined> {
  try {
    return await readBody(req, limit);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    refuse(413, 'payload_too_large');
    return undefined;
  }
}

/**
 * Stores a CRM's batch durably (each event once), or answers 503 while the database is down so the CRM sends it
 * again: every CRM retries 5xx. Returns how many events were new, or undefined after refusing.
 */
export async function storeOrRefuse(
  db: Db,
  crm: string,
  events: InboxEvent[],
  refuse: Refuse,
  ctx: RequestContext,
): Promise<number | undefined> {
  try {
    return await storeEvents(db, crm, events);
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    ctx.log.warn({ err, crm }, 'database unavailable; asking the CRM to retry');
    refuse(503, 'database_unavailable');
    return undefined;
  }
}
