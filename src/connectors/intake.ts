import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Db } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { BodyTooLargeError, readBody } from '../http/body.js';
import { type RequestContext, sendJson } from '../http/server.js';
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

/** A JSON body checked by `schema`, or undefined after a 400 naming what is wrong (the CRM does not retry 4xx). */
export function parseJsonBody<T>(raw: Buffer, schema: z.ZodType<T>, res: ServerResponse): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    sendJson(res, 400, { ok: false, error: 'invalid_json' });
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  sendJson(res, 400, { ok: false, error: 'invalid_payload', issues });
  return undefined;
}
