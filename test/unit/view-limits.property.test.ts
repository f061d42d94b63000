import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignModal } from '../../src/features/campaigns/blocks.js';
import { digestMessage } from '../../src/features/digest/blocks.js';
import type { Digest, DigestCampaign, DigestFigures } from '../../src/features/digest/queries.js';
import { feedbackModal, leadOption } from '../../src/features/feedback/blocks.js';
import { REASONS } from '../../src/features/feedback/ids.js';
import { rejectModal } from '../../src/features/handoffs/blocks.js';
import { homeView } from '../../src/features/home/blocks.js';
import { date, maybe, optional, outsideText, slackUserId, uuid } from '../support/adversarial.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';

/** The modals, the Home tab and the digest (the longest message), fed maximum-size and adversarial data. */
const RUNS = { numRuns: 150 };
const responseUrl = optional(fc.constant(`https://hooks.slack.com/commands/T0/${'9'.repeat(13)}/${'a'.repeat(24)}`));
const pickerLead = fc.record({
  id: uuid,
  name: outsideText(500),
  company: maybe(outsideText(500)),
  crm_id: outsideText(200),
});

const count = fc.integer({ min: 0, max: 10_000_000 });
const rate = maybe(fc.double({ min: 0, max: 1, noNaN: true }));
const currencies = (minKeys: number, maxKeys: number) =>
  fc.dictionary(fc.constantFrom(...Intl.supportedValuesOf('currency')), fc.double({ min: 0, max: 1e15, noNaN: true }), {
    minKeys,
    maxKeys,
  });
/** Deals may be in any ISO currency: a few usually, dozens now and then, every one of them in the totals at worst. */
const revenue = fc.oneof({ weight: 4, arbitrary: currencies(0, 3) }, { weight: 1, arbitrary: currencies(10, 40) });
const totalRevenue = fc.oneof(currencies(0, 3), currencies(100, 300));
const figuresWith = (revenue: fc.Arbitrary<Record<string, number>>): fc.Arbitrary<DigestFigures> =>
  fc.record({
    handoffs: count,
    accepted: count,
    rejected: count,
    pending: count,
    acceptance_rate: rate,
    feedback_count: count,
    avg_rating: maybe(fc.double({ min: 1, max: 5, noNaN: true })),
    sales_ready_rate: rate,
    deals_won: count,
    deals_lost: count,
    revenue,
  });
const figures = figuresWith(revenue);
const digestCampaign: fc.Arbitrary<DigestCampaign> = fc
  .tuple(
    figures,
    maybe(outsideText(200)),
    maybe(fc.oneof(outsideText(300), fc.constant('&'.repeat(300)))),
    fc.array(fc.record({ reason: fc.constantFrom(...Object.keys(REASONS), 'some_old_code&<>'), count }), {
      maxLength: 3,
    }),
  )
  .map(([f, id, name, reasons]) => ({ ...f, campaign_id: id, campaign_name: name, top_reject_reasons: reasons }));
const digest: fc.Arbitrary<Digest> = fc.record({
  from: fc.constant('2026-11-16T00:00:00.000Z'),
  to: fc.constant('2026-11-23T00:00:00.000Z'),
  campaigns: fc.array(digestCampaign, { maxLength: 60 }),
  totals: figuresWith(totalRevenue),
  sla_breaches: count,
});

describe('views and the digest stay within Block Kit limits, whatever the data', () => {
  it('the feedback and reject modals, and the lead picker’s options', () => {
    fc.assert(
      fc.property(optional(pickerLead), optional(outsideText(4000)), uuid, responseUrl, (lead, typed, id, url) => {
        assertWithinBlockKitLimits(
          feedbackModal({ lead, unmatchedReference: typed, metadata: { responseUrl: url, handoffId: id } }),
          'modal',
        );
        if (lead) {
          assertWithinBlockKitLimits(rejectModal(lead, { handoffId: id, responseUrl: url }), 'modal');
          const picker = { type: 'input', label: { type: 'plain_text', text: 'Lead' } };
          const options = { ...picker, element: { type: 'external_select', options: [leadOption(lead)] } };
          assertWithinBlockKitLimits({ submit: { type: 'plain_text', text: 'Go' }, blocks: [options] }, 'modal');
        }
      }),
      RUNS,
    );
    assertWithinBlockKitLimits(campaignModal({ responseUrl: 'https://hooks.slack.com/commands/T0/1/x' }), 'modal');
  });

  it('the digest, with many campaigns, long names and many currencies', () => {
    fc.assert(
      fc.property(digest, digest, optional(fc.integer({ min: 0, max: 200 })), (current, previous, maxCampaigns) => {
        const message = digestMessage(current, previous, { maxCampaigns });
        assertWithinBlockKitLimits(message, 'message');
        // Within the limit is not enough: a table cut short would lose rows and leave its code block open.
        const tables = message.blocks.flatMap((b) =>
          b.type === 'section' && b.text && /^(\*By campaign\*\n)?```/.test(b.text.text) ? [b.text.text] : [],
        );
        for (const table of tables) expect(table).toMatch(/^(\*By campaign\*\n)?```[^`]*```$/);
      }),
      // Shrinking a digest of 60 campaigns takes minutes; the first counterexample says enough.
      { numRuns: 60, endOnFailure: true },
    );
  });

  it('the Home tab, for a rep and for a marketer', () => {
    const feedbackRow = fc.record({
      id: uuid,
      lead_name: outsideText(500),
      lead_company: maybe(outsideText(500)),
      rater_slack_user_id: slackUserId,
      rating: fc.integer({ min: 1, max: 5 }),
      sales_ready: fc.boolean(),
      comment: maybe(outsideText(2000)),
      campaign_name: maybe(outsideText(300)),
      created_at: date,
    });
    const qualityRow = fc.record({
      campaign_id: maybe(uuid),
      campaign_name: maybe(outsideText(300)),
      handoffs: count,
      accepted: count,
      feedback_count: count,
      avg_rating: maybe(fc.double({ min: 1, max: 5, noNaN: true })),
      sales_ready_rate: rate,
      acceptance_rate: rate,
    });
    const list = <T>(row: fc.Arbitrary<T>, max: number) =>
      fc.record({ rows: fc.array(row, { maxLength: max }), total: fc.integer({ min: max, max: 100_000 }) });
    const pendingRow = fc.record({
      id: uuid,
      lead_name: outsideText(500),
      lead_company: maybe(outsideText(500)),
      campaign_name: maybe(outsideText(300)),
      occurred_at: date,
    });
    const input = fc.record({
      userId: slackUserId,
      now: date,
      pending: list(pendingRow, 15),
      myFeedback: fc.array(feedbackRow, { maxLength: 10 }),
      quality: list(qualityRow, 10),
      qualityDays: fc.integer({ min: 1, max: 365 }),
      marketer: optional(
        fc.record({ campaigns: list(qualityRow, 10), feedback: fc.array(feedbackRow, { maxLength: 10 }) }),
      ),
    });
    fc.assert(
      fc.property(input, (i) => assertWithinBlockKitLimits(homeView(i), 'home')),
      RUNS,
    );
  });
});
