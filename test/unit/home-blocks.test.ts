import type { ActionsBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { HOME_MAX_BLOCKS, type HomeInput, homeView } from '../../src/features/home/blocks.js';
import type { CampaignQualityRow, FeedbackRow, PendingHandoffRow } from '../../src/features/home/queries.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const EVIL = '<!channel> & <https://evil.example|click>';

const pendingRow = (i: number, name = `Lead ${i}`): PendingHandoffRow => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  lead_name: name,
  lead_company: 'Northwind',
  campaign_name: 'Q4 Webinar',
  occurred_at: new Date(NOW.getTime() - 26 * 3_600_000),
});
const feedbackRow = (i: number, overrides: Partial<FeedbackRow> = {}): FeedbackRow => ({
  id: `f${i}`,
  lead_name: `Lead ${i}`,
  lead_company: null,
  rater_slack_user_id: 'UREP00001',
  rating: 4,
  sales_ready: true,
  comment: null,
  campaign_name: null,
  created_at: NOW,
  ...overrides,
});
const qualityRow = (i: number, overrides: Partial<CampaignQualityRow> = {}): CampaignQualityRow => ({
  campaign_id: `c${i}`,
  campaign_name: `Campaign ${i}`,
  handoffs: 3,
  accepted: 1,
  feedback_count: 2,
  avg_rating: 3.5,
  sales_ready_rate: 0.5,
  acceptance_rate: 1 / 3,
  ...overrides,
});
const empty: HomeInput = {
  userId: 'UREP00001',
  now: NOW,
  pending: { rows: [], total: 0 },
  myFeedback: [],
  quality: { rows: [], total: 0 },
  qualityDays: 30,
};
const json = (input: HomeInput) => JSON.stringify(homeView(input).blocks);

describe('homeView', () => {
  it('shows empty states when there is nothing to show', () => {
    const text = json(empty);
    expect(text).toContain('Nothing waiting for you');
    expect(text).toContain('You have not rated a lead yet');
    expect(text).toContain('No handoffs or feedback in the last 30 days');
    expect(text).not.toContain('Your campaigns');
    const marketer = json({ ...empty, marketer: { campaigns: { rows: [], total: 0 }, feedback: [] } });
    expect(marketer).toContain('None of your campaigns has handoffs or feedback yet');
    expect(marketer).toContain('No feedback on leads from your campaigns yet');
  });

  it('gives each pending handoff the card’s buttons with its id, in an actions block of its own', () => {
    const view = homeView({ ...empty, pending: { rows: [pendingRow(1), pendingRow(2)], total: 2 } });
    const actions = view.blocks.filter((b): b is ActionsBlock => b.type === 'actions');
    expect(actions).toHaveLength(2);
    expect(new Set(actions.map((b) => b.block_id)).size).toBe(2);
    expect(actions[0]?.elements.map((e) => 'value' in e && [e.action_id, e.value])).toEqual([
      ['handoff_accept', pendingRow(1).id],
      ['handoff_reject', pendingRow(1).id],
      ['handoff_rate', pendingRow(1).id],
    ]);
    expect(JSON.stringify(view.blocks)).toContain('Waiting 26 hours');
  });

  it('escapes every outside text: lead, company, campaign and comment', () => {
    const text = json({
      ...empty,
      pending: { rows: [{ ...pendingRow(1, EVIL), lead_company: EVIL, campaign_name: EVIL }], total: 1 },
      myFeedback: [feedbackRow(1, { lead_name: EVIL, comment: EVIL })],
      quality: { rows: [qualityRow(1, { campaign_name: EVIL })], total: 1 },
      marketer: {
        campaigns: { rows: [qualityRow(1, { campaign_name: EVIL })], total: 1 },
        feedback: [feedbackRow(2, { lead_name: EVIL, campaign_name: EVIL, comment: EVIL })],
      },
    });
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
  });

  it('stays within Slack’s limits with long lists and long names, saying how many more there are', () => {
    const long = 'x'.repeat(5000);
    const view = homeView({
      ...empty,
      pending: { rows: Array.from({ length: 15 }, (_, i) => pendingRow(i, long)), total: 40 },
      myFeedback: Array.from({ length: 10 }, (_, i) => feedbackRow(i, { lead_name: long, comment: long })),
      quality: { rows: Array.from({ length: 10 }, (_, i) => qualityRow(i, { campaign_name: long })), total: 25 },
      marketer: {
        campaigns: { rows: Array.from({ length: 10 }, (_, i) => qualityRow(i)), total: 12 },
        feedback: Array.from({ length: 10 }, (_, i) => feedbackRow(i, { lead_name: long, comment: long })),
      },
    });
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('…and 25 more pending handoffs');
    expect(text).toContain('…and 15 more campaigns');
    expect(text).toContain('…and 2 more campaigns');
    // The marketer's feedback, the last section, made it in.
    expect(text).toContain('Latest feedback on your leads');
    for (const block of view.blocks) {
      if (block.type === 'section') {
        expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
        expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
      }
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(150);
    }
  });

  it('shows rates as percentages and a dash when there is nothing to divide', () => {
    const text = json({
      ...empty,
      quality: {
        rows: [
          qualityRow(1),
          qualityRow(2, {
            feedback_count: 0,
            avg_rating: null,
            sales_ready_rate: null,
            handoffs: 0,
            acceptance_rate: null,
          }),
          qualityRow(3, { campaign_id: null, campaign_name: null }),
        ],
        total: 3,
      },
    });
    expect(text).toContain('*Avg rating*\\n3.5');
    expect(text).toContain('*Accepted*\\n33% of 3');
    expect(text).toContain('*Avg rating*\\n—');
    expect(text).toContain('*Accepted*\\n— of 0');
    expect(text).toContain('_No campaign_');
  });
});
