import '../../zod-setup.js';
import { z } from 'zod';

/** HubSpot ids arrive as JSON numbers (portal, object, event ids); kept as strings, as its API returns them. */
const numericId = z
  .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,20}$/, 'must be digits')])
  .transform(String);

/** One event of the JSON array HubSpot batches to a webhook target (webhooks API v3). */
export const hubspotWebhookEvent = z.object({
  eventId: numericId,
  subscriptionId: numericId,
  portalId: numericId,
  appId: numericId,
  occurredAt: z.number().int().min(0).max(8.64e15),
  subscriptionType: z.string().min(1).max(200),
  attemptNumber: z.number().int().min(0),
  objectId: numericId,
  propertyName: z.string().max(500).optional(),
  propertyValue: z.string().max(65_536).nullable().optional(),
  changeSource: z.string().max(200).optional(),
  changeFlag: z.string().max(200).optional(),
});

export const hubspotWebhookBatch = z.array(hubspotWebhookEvent).max(1000);

export type HubSpotWebhookEvent = z.infer<typeof hubspotWebhookEvent>;

/** A CRM object as `GET /crm/v3/objects/{type}/{id}` returns it: only the requested properties, plus a few defaults. */
const crmObject = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean().optional(),
});

export const hubspotContact = crmObject;
export type HubSpotContact = z.infer<typeof hubspotContact>;

/** A deal read with `?associations=contacts`. */
export const hubspotDeal = crmObject.extend({
  associations: z
    .object({
      contacts: z.object({ results: z.array(z.object({ id: z.string(), type: z.string().optional() })) }).optional(),
    })
    .partial()
    .optional(),
});
export type HubSpotDeal = z.infer<typeof hubspotDeal>;

/** `GET /crm/v3/owners/{ownerId}`: `id` is the owner id objects reference (not `userId`). */
export const hubspotOwner = z.object({
  id: z.string(),
  email: z.string().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  userId: z.number().nullable().optional(),
  archived: z.boolean().optional(),
});
export type HubSpotOwner = z.infer<typeof hubspotOwner>;

const stage = z.object({
  id: z.string(),
  label: z.string(),
  /** Deal stages: `isClosed` "true"/"false" and `probability` "0.0"…"1.0", both strings. */
  metadata: z.record(z.string(), z.unknown()).default({}),
});

/** `GET /crm/v3/pipelines/deals`. */
export const hubspotPipelines = z.object({
  results: z.array(z.object({ id: z.string(), label: z.string(), stages: z.array(stage) })),
});
export type HubSpotPipelines = z.infer<typeof hubspotPipelines>;
export type HubSpotPipeline = HubSpotPipelines['results'][number];
