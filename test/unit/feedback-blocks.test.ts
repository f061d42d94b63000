import { describe, expect, it } from 'vitest';
import type { Campaign, Lead } from '../../src/db/schema.js';
import { feedbackModal, leadOption, marketingFeedbackNotice } from '../../src/features/feedback/blocks.js';
import { BLOCK } from '../../src/features/feedback/ids.js';
import { parseFeedbackSubmission } from '../../src/features/feedback/schema.js';

const now = new Date('2026-11-23T10:00:00Z');
const lead: Lead = {
  id: '5b0c3c55-6f2d-4c1a-9a57-2f6a1c1d0e11',
  crm_id: 'L-1001',
  name: 'Dana Whitfield',
  email: 'dana@northwind.example',
  company: 'Northwind',
  title: null,
  phone: null,
  score: 80,
  source: 'webinar',
  url: 'https://crm.example.com/leads/1001',
  source_updated_at: now,
  created_at: now,
  updated_at: now,
};
const campaign = {
  id: 'c1',
  crm_id: 'CMP-7',
  name: 'Q4 Webinar',
  owner_slack_user_id: 'UMKT0001',
  owner_email: 'mia@example.com',
  url: null,
} as Campaign;

describe('feedback modal', () => {
  it('stays within Slack limits', () => {
    const view = feedbackModal({
      unmatchedReference: 'x'.repeat(5000),
      metadata: { responseUrl: 'https://hooks.slack.com/x' },
    });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit?.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect((view.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
    for (const block of view.blocks) {
      const text = (block as { text?: { text: string } }).text?.text;
      if (text) expect(text.length).toBeLessThanOrEqual(3000);
      const options = (block as { element?: { options?: Array<{ text: { text: string }; value: string }> } }).element
        ?.options;
      for (const option of options ?? []) {
        expect(option.text.text.length).toBeLessThanOrEqual(75);
        expect(option.value.length).toBeLessThanOrEqual(150);
      }
    }
  });

  it('keeps lead options under 75 characters however long the name', () => {
    const option = leadOption({ ...lead, name: 'N'.repeat(200), company: 'C'.repeat(200) });
    expect(option.text.text.length).toBeLessThanOrEqual(75);
    expect(option.text.text.endsWith('(L-1001)')).toBe(true);
  });
});

describe('marketing notice', () => {
  it('names the lead, rating, campaign and mentions its owner', () => {
    const { text, blocks } = marketingFeedbackNotice({
      lead,
      campaign,
      raterSlackUserId: 'UREP0001',
      rating: 4,
      salesReady: true,
      reasons: ['strong_intent'],
      comment: 'Great call',
    });
    const json = JSON.stringify(blocks);
    expect(text).toBe('<@UREP0001> rated Dana Whitfield 4/5 (campaign Q4 Webinar) <@UMKT0001>');
    expect(json).toContain('<https://crm.example.com/leads/1001|Dana Whitfield>');
    expect(json).toContain('★★★★☆ 4/5');
    expect(json).toContain('Clear intent or active project');
    expect(json).toContain('>Great call');
  });

  it('says when no campaign is known and truncates a huge comment', () => {
    const { blocks } = marketingFeedbackNotice({
      lead,
      campaign: undefined,
      raterSlackUserId: 'UREP0001',
      rating: 1,
      salesReady: false,
      reasons: [],
      comment: 'y'.repeat(10_000),
    });
    expect(JSON.stringify(blocks)).toContain('No campaign on record');
    for (const block of blocks) {
      const t = (block as { text?: { text: string } }).text?.text;
      if (t) expect(t.length).toBeLessThanOrEqual(3000);
    }
  });
});

describe('parsing a submission', () => {
  const base = {
    [BLOCK.lead]: { lead_select: { selected_option: { value: lead.id } } },
    [BLOCK.rating]: { rating_choice: { selected_option: { value: '3' } } },
    [BLOCK.salesReady]: { sales_ready_choice: { selected_option: { value: 'yes' } } },
  };

  it('accepts the minimum and normalises optional fields', () => {
    expect(parseFeedbackSubmission(base)).toEqual({
      ok: true,
      value: { leadId: lead.id, rating: 3, salesReady: true, reasons: [], comment: null },
    });
  });

  it('maps each bad field to its block id', () => {
    const parsed = parseFeedbackSubmission({
      [BLOCK.rating]: { rating_choice: { selected_option: { value: '0' } } },
      [BLOCK.comment]: { comment_input: { value: 'z'.repeat(2001) } },
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(Object.keys(parsed.errors).sort()).toEqual(
        [BLOCK.comment, BLOCK.lead, BLOCK.rating, BLOCK.salesReady].sort(),
      );
    }
  });
});
