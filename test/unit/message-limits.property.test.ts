import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Campaign, Lead } from '../../src/db/schema.js';
import {
  type AnnouncedCampaign,
  type ChangedField,
  campaignAnnouncement,
  campaignConfirmation,
  campaignEndedNote,
  campaignUpdateNote,
} from '../../src/features/campaigns/blocks.js';
import { dealCelebration } from '../../src/features/deals/blocks.js';
import { feedbackConfirmation, marketingFeedbackNotice } from '../../src/features/feedback/blocks.js';
import { REASONS, REJECT_REASONS, type ReasonCode } from '../../src/features/feedback/ids.js';
import { handoffCard, slaEscalation, slaReminder } from '../../src/features/handoffs/blocks.js';
import {
  amount,
  currency,
  date,
  maybe,
  optional,
  outsideEmail,
  outsideText,
  outsideUrl,
  slackUserId,
  uuid,
} from '../support/adversarial.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';

/** Every builder of a Slack message, fed what the webhook schemas and modals accept, up to their maximums. */
const RUNS = { numRuns: 300 };
const message = (m: unknown) => assertWithinBlockKitLimits(m, 'message');

const lead: fc.Arbitrary<Lead> = fc.record({
  id: uuid,
  crm_id: outsideText(200),
  name: outsideText(500),
  email: maybe(outsideEmail),
  company: maybe(outsideText(500)),
  title: maybe(outsideText(500)),
  phone: maybe(outsideText(100)),
  score: maybe(fc.integer({ min: 0, max: 100 })),
  source: maybe(outsideText(200)),
  url: maybe(outsideUrl),
  source_updated_at: maybe(date),
  created_at: date,
  updated_at: date,
});

const campaignFields = {
  name: outsideText(300),
  status: fc.constantFrom('planned', 'launched', 'updated', 'ended' as const),
  channel: maybe(outsideText(200)),
  starts_at: maybe(date),
  ends_at: maybe(date),
  audience: maybe(outsideText(1000)),
  goal: maybe(outsideText(1000)),
  talking_points: maybe(outsideText(3000)),
  offer: maybe(outsideText(1000)),
  url: maybe(outsideUrl),
  owner_email: maybe(outsideEmail),
  owner_slack_user_id: maybe(slackUserId),
};
const announced: fc.Arbitrary<AnnouncedCampaign> = fc.record(campaignFields);
const campaign: fc.Arbitrary<Campaign> = fc.record({
  ...campaignFields,
  id: uuid,
  crm_id: outsideText(200),
  budget: maybe(amount),
  placeholder: fc.boolean(),
  announcement_outbox_id: maybe(uuid),
  source_updated_at: maybe(date),
  created_at: date,
  updated_at: date,
});

const overdue = fc.record({
  owner_slack_user_id: maybe(slackUserId),
  owner_email: maybe(outsideEmail),
  lead_name: outsideText(500),
  lead_company: maybe(outsideText(500)),
  campaign_name: maybe(outsideText(300)),
  waited_seconds: fc.integer({ min: 0, max: 10 * 365 * 86_400 }),
});

describe('every Slack message stays within Block Kit limits, whatever the schemas accept', () => {
  it('handoff cards, in every state', () => {
    const handoff = fc.record({
      id: uuid,
      status: fc.constantFrom('pending', 'accepted', 'rejected' as const),
      owner_slack_user_id: maybe(slackUserId),
      owner_email: maybe(outsideEmail),
      notes: maybe(outsideText(3000)),
      occurred_at: date,
      decided_by: maybe(slackUserId),
      decided_at: maybe(date),
      reject_reason: maybe(fc.constantFrom(...REJECT_REASONS)),
    });
    fc.assert(
      fc.property(handoff, lead, optional(campaign), (h, l, c) =>
        message(handoffCard({ handoff: h, lead: l, campaign: c })),
      ),
      RUNS,
    );
  });

  it('SLA reminders and escalations', () => {
    fc.assert(
      fc.property(overdue, fc.boolean(), optional(slackUserId), (h, inThread, manager) => {
        message(slaReminder(h, inThread));
        message(slaEscalation(h, manager));
      }),
      RUNS,
    );
  });

  it('feedback notices in the marketing channel, and the rater’s confirmation', () => {
    const notice = fc.record({
      lead,
      campaign: optional(campaign),
      raterSlackUserId: slackUserId,
      rating: fc.integer({ min: 1, max: 5 }),
      salesReady: fc.boolean(),
      reasons: fc.subarray(Object.keys(REASONS) as ReasonCode[]),
      comment: maybe(outsideText(2000)),
      rejectReason: optional(fc.constantFrom(...REJECT_REASONS)),
    });
    fc.assert(
      fc.property(notice, (n) => {
        message(marketingFeedbackNotice(n));
        message({ text: feedbackConfirmation(n.lead, n.rating, n.campaign) });
      }),
      RUNS,
    );
  });

  it('campaign announcements, update and end notes, confirmations', () => {
    const changed = fc.subarray<ChangedField>(['name', 'dates', 'audience', 'goal', 'talking_points', 'offer', 'url']);
    fc.assert(
      fc.property(announced, announced, changed, fc.boolean(), (before, after, fields, already) => {
        message(campaignAnnouncement(after));
        message(campaignUpdateNote(before, after, fields));
        message(campaignEndedNote(after));
        message({ text: campaignConfirmation(after.name, 'C0SALES01', already) });
      }),
      RUNS,
    );
  });

  it('win celebrations', () => {
    const input = fc.record({
      deal: fc.record({
        crm_id: outsideText(200),
        name: outsideText(500),
        company: maybe(outsideText(500)),
        amount,
        currency,
        closed_at: date,
        owner_email: maybe(outsideEmail),
        owner_slack_user_id: maybe(slackUserId),
        url: maybe(outsideUrl),
      }),
      lead: optional(fc.record({ crm_id: outsideText(200), name: outsideText(500), url: maybe(outsideUrl) })),
      campaign: optional(
        fc.record({
          name: outsideText(300),
          url: maybe(outsideUrl),
          owner_email: maybe(outsideEmail),
          owner_slack_user_id: maybe(slackUserId),
        }),
      ),
      handedOffAt: optional(date),
      rating: optional(fc.integer({ min: 1, max: 5 })),
    });
    fc.assert(
      fc.property(input, (i) => message(dealCelebration(i))),
      RUNS,
    );
  });
});
