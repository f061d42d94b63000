import type { Db } from '../../../src/db/database.js';
import type { Digest } from '../../../src/features/digest/queries.js';
import { seedCampaign, seedLead } from '../../support/fixtures.js';

/** The period the fixture is built around: Monday 5 October to Monday 12 October 2026 (exclusive). */
export const FROM = new Date('2026-10-05T00:00:00Z');
export const TO = new Date('2026-10-12T00:00:00Z');

const at = (iso: string) => new Date(iso);

/**
 * Several campaigns' week: handoffs on both sides of the period's edges, rejections with reasons, feedback from three
 * reps, deals won and lost in USD and EUR attributed by lead id, by lead email, by the deal's own campaign and to none.
 */
export async function seedDigestWorld(db: Db) {
  const a = await seedCampaign(db, { crm_id: 'CMP-A', name: 'Q4 Webinar' });
  const b = await seedCampaign(db, { crm_id: 'CMP-B', name: 'Trade <Show> & Co' });
  const c = (await seedCampaign(db, { crm_id: 'CMP-C', name: 'Dormant' })).id;
  const d = await seedCampaign(db, { crm_id: 'CMP-D', name: 'Partner referral' });

  const lead: Record<string, string> = {};
  for (let i = 1; i <= 15; i++) {
    const row = await seedLead(db, { crm_id: `L-${i}`, name: `Lead ${i}`, email: `lead${i}@example.com` });
    lead[`L${i}`] = row.id;
  }
  await db
    .updateTable('leads')
    .set({ email: 'dana@example.com' })
    .where('id', '=', lead.L9 as string)
    .execute();

  let n = 0;
  const handoff = async (
    leadKey: string,
    campaignId: string | null,
    occurredAt: string,
    status: 'pending' | 'accepted' | 'rejected' = 'pending',
    rejectReason: string | null = null,
    receivedAt?: string,
  ) =>
    db
      .insertInto('handoffs')
      .values({
        event_id: `evt-digest-${++n}`,
        lead_id: lead[leadKey] as string,
        campaign_id: campaignId,
        occurred_at: at(occurredAt),
        received_at: at(receivedAt ?? occurredAt),
        status,
        reject_reason: rejectReason,
        owner_slack_user_id: 'UREP0001',
      })
      .execute();

  // Campaign A in the period: 8 handoffs, 2 accepted, 5 rejected, 1 pending (past its SLA).
  await handoff('L1', a.id, '2026-10-05T00:00:00Z', 'accepted'); // on the opening edge: in
  await handoff('L2', a.id, '2026-10-06T10:00:00Z', 'rejected', 'no_budget');
  await handoff('L3', a.id, '2026-10-07T10:00:00Z', 'rejected', 'no_budget');
  await handoff('L4', a.id, '2026-10-08T10:00:00Z', 'rejected', 'bad_timing');
  await handoff('L14', a.id, '2026-10-09T09:00:00Z', 'rejected', 'junk');
  await handoff('L15', a.id, '2026-10-09T09:30:00Z', 'rejected', 'not_icp'); // fourth reason: beyond the top 3
  await handoff('L5', a.id, '2026-10-09T10:00:00Z', 'pending');
  await handoff('L6', a.id, '2026-10-10T10:00:00Z', 'accepted');
  // Campaign B in the period: 3 handoffs, one of each state.
  await handoff('L7', b.id, '2026-10-11T10:00:00Z', 'accepted');
  await handoff('L8', b.id, '2026-10-06T10:00:00Z', 'rejected', 'wrong_persona');
  await handoff('L9', b.id, '2026-10-07T10:00:00Z', 'pending');
  // No campaign: 1 accepted.
  await handoff('L10', null, '2026-10-08T10:00:00Z', 'accepted');
  // Outside the period.
  await handoff('L1', a.id, '2026-10-01T10:00:00Z', 'rejected', 'junk');
  await handoff('L7', a.id, '2026-10-12T00:00:00Z', 'pending'); // on the closing edge: out
  await handoff('L13', c, '2026-09-20T10:00:00Z', 'pending');
  // Same occurred_at: the one received last (B) is L11's most recent handoff.
  await handoff('L11', a.id, '2026-10-01T12:00:00Z', 'accepted', null, '2026-10-01T12:00:05Z');
  await handoff('L11', b.id, '2026-10-01T12:00:00Z', 'accepted', null, '2026-10-01T12:00:10Z');

  const feedback = (leadKey: string, rater: string, rating: number, salesReady: boolean, createdAt: string) =>
    db
      .insertInto('lead_feedback')
      .values({
        lead_id: lead[leadKey] as string,
        rater_slack_user_id: rater,
        rating,
        sales_ready: salesReady,
        reasons: [],
        created_at: at(createdAt),
      })
      .execute();
  await feedback('L1', 'UREP0001', 4, true, '2026-10-06T12:00:00Z'); // A
  await feedback('L2', 'UREP0002', 2, false, '2026-10-07T12:00:00Z'); // A
  await feedback('L6', 'UREP0001', 5, true, '2026-10-11T23:59:59Z'); // A
  await feedback('L11', 'UREP0003', 3, false, '2026-10-08T12:00:00Z'); // B, by the tie-break
  await feedback('L9', 'UREP0002', 4, true, '2026-10-09T12:00:00Z'); // B
  await feedback('L10', 'UREP0003', 1, false, '2026-10-08T12:00:00Z'); // no campaign
  await feedback('L12', 'UREP0001', 2, true, '2026-10-10T12:00:00Z'); // a lead never handed off: no campaign
  await feedback('L1', 'UREP0002', 5, true, '2026-10-12T00:00:00Z'); // out
  await feedback('L3', 'UREP0003', 1, false, '2026-10-04T23:59:59Z'); // out

  let m = 0;
  const deal = (
    stage: 'won' | 'lost',
    amount: string,
    currency: string,
    closedAt: string,
    link: { lead_id?: string; lead_email?: string; campaign_id?: string },
  ) =>
    db
      .insertInto('deals')
      .values({ crm_id: `D-${++m}`, name: `Deal ${m}`, stage, amount, currency, closed_at: at(closedAt), ...link })
      .execute();
  await deal('won', '48000.00', 'USD', '2026-10-07T10:00:00Z', { lead_id: lead.L1 }); // A via L1's latest handoff
  await deal('won', '12500.00', 'EUR', '2026-10-08T10:00:00Z', { lead_email: 'DANA@Example.com' }); // B via L9
  await deal('won', '5000.50', 'USD', '2026-10-09T10:00:00Z', { lead_id: lead.L1, campaign_id: d.id }); // D, its own
  await deal('lost', '7000.00', 'USD', '2026-10-10T10:00:00Z', { lead_email: 'nobody@nowhere.example' }); // none
  await deal('won', '3000.00', 'USD', '2026-10-11T10:00:00Z', {}); // none
  await deal('won', '99999.00', 'USD', '2026-10-12T00:00:00Z', { campaign_id: a.id }); // out
  await deal('lost', '2000.00', 'EUR', '2026-10-05T00:00:00Z', { lead_id: lead.L2 }); // A, on the opening edge
  await deal('won', '1000.00', 'EUR', '2026-10-06T10:00:00Z', { lead_id: lead.L12 }); // none: L12 was never handed off
}

/** The digest of the fixture for [FROM, TO), worked out by hand. */
export const EXPECTED_DIGEST: Digest = {
  from: '2026-10-05T00:00:00.000Z',
  to: '2026-10-12T00:00:00.000Z',
  campaigns: [
    {
      campaign_id: 'CMP-A',
      campaign_name: 'Q4 Webinar',
      handoffs: 8,
      accepted: 2,
      rejected: 5,
      pending: 1,
      acceptance_rate: 0.25,
      feedback_count: 3,
      avg_rating: 11 / 3,
      sales_ready_rate: 2 / 3,
      top_reject_reasons: [
        { reason: 'no_budget', count: 2 },
        { reason: 'bad_timing', count: 1 },
        { reason: 'junk', count: 1 },
      ],
      deals_won: 1,
      deals_lost: 1,
      revenue: { USD: 48000 },
    },
    {
      campaign_id: 'CMP-B',
      campaign_name: 'Trade <Show> & Co',
      handoffs: 3,
      accepted: 1,
      rejected: 1,
      pending: 1,
      acceptance_rate: 1 / 3,
      feedback_count: 2,
      avg_rating: 3.5,
      sales_ready_rate: 0.5,
      top_reject_reasons: [{ reason: 'wrong_persona', count: 1 }],
      deals_won: 1,
      deals_lost: 0,
      revenue: { EUR: 12500 },
    },
    {
      campaign_id: 'CMP-D',
      campaign_name: 'Partner referral',
      handoffs: 0,
      accepted: 0,
      rejected: 0,
      pending: 0,
      acceptance_rate: null,
      feedback_count: 0,
      avg_rating: null,
      sales_ready_rate: null,
      top_reject_reasons: [],
      deals_won: 1,
      deals_lost: 0,
      revenue: { USD: 5000.5 },
    },
    {
      campaign_id: null,
      campaign_name: null,
      handoffs: 1,
      accepted: 1,
      rejected: 0,
      pending: 0,
      acceptance_rate: 1,
      feedback_count: 2,
      avg_rating: 1.5,
      sales_ready_rate: 0.5,
      top_reject_reasons: [],
      deals_won: 2,
      deals_lost: 1,
      revenue: { USD: 3000, EUR: 1000 },
    },
  ],
  totals: {
    handoffs: 12,
    accepted: 4,
    rejected: 6,
    pending: 2,
    acceptance_rate: 1 / 3,
    feedback_count: 7,
    avg_rating: 3,
    sales_ready_rate: 4 / 7,
    deals_won: 5,
    deals_lost: 2,
    revenue: { USD: 56000.5, EUR: 13500 },
  },
  sla_breaches: 2,
};
