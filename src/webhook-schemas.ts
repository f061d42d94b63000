import { z } from 'zod';
import { campaignEvent } from './features/campaigns/schema.js';
import { dealClosedEvent } from './features/deals/schema.js';
import { leadHandoffEvent } from './features/handoffs/schema.js';

/** The webhook payloads by file name: the zod schemas are the one source of truth for the JSON Schema files. */
const payloads = {
  'lead-handoff': leadHandoffEvent,
  campaign: campaignEvent,
  'deal-closed': dealClosedEvent,
} as const;

/** JSON Schema (draft 2020-12) for what a sender may send to each webhook. */
export function webhookJsonSchemas(): Record<string, object> {
  return Object.fromEntries(
    Object.entries(payloads).map(([name, schema]) => [
      name,
      {
        ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
        $id: `https://tandem.example/schemas/${name}.json`,
        title: `Tandem ${name} webhook payload`,
      },
    ]),
  );
}
