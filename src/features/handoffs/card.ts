import type { Db } from '../../db/database.js';
import type { Campaign, Handoff, Lead } from '../../db/schema.js';
import { enqueue } from '../../slack/outbox.js';
import { handoffCard } from './blocks.js';

/** Everything the card shows, read in one go (inside the caller's transaction when there is one). */
export async function loadCardInput(
  db: Db,
  handoffId: string,
): Promise<{ handoff: Handoff; lead: Lead; campaign: Campaign | undefined } | undefined> {
  const handoff = await db.selectFrom('handoffs').selectAll().where('id', '=', handoffId).executeTakeFirst();
  if (!handoff) return undefined;
  const lead = await db.selectFrom('leads').selectAll().where('id', '=', handoff.lead_id).executeTakeFirstOrThrow();
  const campaign = handoff.campaign_id
    ? await db.selectFrom('campaigns').selectAll().where('id', '=', handoff.campaign_id).executeTakeFirst()
    : undefined;
  return { handoff, lead, campaign };
}

/** Re-renders the card in place after its handoff changed (a chat.update that waits for the card's own post). */
export async function enqueueCardUpdate(trx: Db, handoffId: string): Promise<void> {
  const loaded = await loadCardInput(trx, handoffId);
  if (!loaded?.handoff.card_outbox_id) return;
  await enqueue(trx, {
    method: 'chat.update',
    payload: handoffCard(loaded),
    dependsOn: loaded.handoff.card_outbox_id,
  });
}
