import type { Db } from '../../src/db/database.js';

/** Rows a test needs in place before it drives the app; the CRM webhooks create them in production. */
export async function seedCampaign(
  db: Db,
  values: { crm_id: string; name: string; owner_slack_user_id?: string; owner_email?: string; url?: string },
) {
  return db.insertInto('campaigns').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function seedLead(
  db: Db,
  values: { crm_id: string; name: string; email?: string; company?: string; url?: string; source?: string },
) {
  return db.insertInto('leads').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function seedHandoff(
  db: Db,
  values: {
    lead_id: string;
    campaign_id?: string | null;
    occurred_at?: Date;
    event_id?: string;
    owner_slack_user_id?: string;
  },
) {
  return db
    .insertInto('handoffs')
    .values({
      event_id: values.event_id ?? `evt-${Math.random().toString(36).slice(2)}`,
      lead_id: values.lead_id,
      campaign_id: values.campaign_id ?? null,
      occurred_at: values.occurred_at ?? new Date(),
      owner_slack_user_id: values.owner_slack_user_id ?? 'UREP0001',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
