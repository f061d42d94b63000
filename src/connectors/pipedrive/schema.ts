import '../../zod-setup.js';
import { z } from 'zod';

/** Pipedrive ids: numbers for deals, persons and users; UUIDs for leads. Kept as strings. */
export const pipedriveId = z
  .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[A-Za-z0-9-]{1,64}$/)])
  .transform(String);

/**
 * A webhooks v2 body (Pipedrive, "Guide for Webhooks v2"): `meta` says what happened to which object (`action`
 * create / change / delete, `entity`, `entity_id`, `id`, `timestamp`, `attempt`, `correlation_id`…), `data` is the
 * object now, `previous` holds the changed fields' old values (null on create).
 */
export const pipedriveWebhook = z.object({
  meta: z.object({
    action: z.string().min(1).max(40),
    entity: z.string().min(1).max(40),
    entity_id: pipedriveId.optional(),
    id: pipedriveId.optional(),
    timestamp: z.union([z.number(), z.string().max(40)]).optional(),
    attempt: z.number().int().min(0).optional(),
    correlation_id: z.string().max(100).optional(),
    host: z.string().max(255).optional(),
    version: z.string().max(10).optional(),
  }),
  data: z.record(z.string(), z.unknown()).nullable(),
  previous: z.record(z.string(), z.unknown()).nullable().optional(),
});

export type PipedriveWebhook = z.infer<typeof pipedriveWebhook>;

/** `GET /v1/users/{id}`: `{ success, data: { id, name, email, … } }`. */
export const pipedriveUser = z.object({
  success: z.boolean(),
  data: z.object({ id: z.number(), name: z.string().nullable().optional(), email: z.string().nullable().optional() }),
});
