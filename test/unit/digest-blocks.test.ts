import { describe, expect, it } from 'vitest';
import { digestMessage, formatPeriod, MAX_BLOCKS } from '../../src/features/digest/blocks.js';
import type { Digest, DigestCampaign, DigestFigures } from '../../src/features/digest/queries.js';

const figures = (overrides: Partial<DigestFigures> = {}): DigestFigures => ({
  handoffs: 0,
  accepted: 0,
  rejected: 0,
  pending: 0,
  acceptance_rate: null,
  feedback_count: 0,
  avg_rating: null,
  sales_ready_rate: null,
  deals_won: 0,
  deals_lost: 0,
  revenue: {},
  ...overrides,
});

const campaign = (name: string | null, overrides: Partial<DigestCampaign> = {}): DigestCampaign => ({
  campaign_id: name === null ? null : `CMP-${name}`,
  campaign_name: name,
  ...figures(),
  top_reject_reasons: [],
  ...overrides,
});

const digest = (campaigns: DigestCampaign[], totals: Partial<DigestFigures> = {}, slaBreaches = 0): Digest => ({
  from: '2026-11-16T09:00:00.000Z',
  to: '2026-11-23T09:00:00.000Z',
  campaigns,
  totals: figures(totals),
  sla_breaches: slaBreaches,
});

const EMPTY = digest([]);

const texts = (blocks: unknown[]) => JSON.stringify(blocks);

describe('the Slack digest', () => {
  it('opens with the period and the totals, most important first, with the change since last week', () => {
    const current = digest(
      [campaign('Webinar', { handoffs: 3, accepted: 1, rejected: 1, pending: 1, acceptance_rate: 1 / 3 })],
      {
        handoffs: 12,
        accepted: 4,
        rejected: 6,
        pending: 2,
        acceptance_rate: 1 / 3,
        avg_rating: 11 / 3,
        feedback_count: 3,
        sales_ready_rate: 2 / 3,
        deals_won: 2,
        revenue: { USD: 48000, EUR: 12500.5 },
      },
      2,
    );
    const previous = digest([], { handoffs: 10, acceptance_rate: 0.5, avg_rating: 4, revenue: { USD: 1000 } });
    const { blocks, text } = digestMessage(current, previous);
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Weekly digest · Nov 16 – Nov 23, 2026', emoji: true },
    });
    const fields = (blocks[1] as { fields: Array<{ text: string }> }).fields.map((f) => f.text);
    expect(fields.slice(0, 5)).toEqual([
      '*Leads handed off*\n12  _▲ 2 vs last week_',
      '*Acceptance rate*\n33%  _▼ 17 pts vs last week_',
      '*Avg lead rating*\n3.7  _▼ 0.3 vs last week_',
      '*Revenue won*\n$48,000 · €12,500.50  _last week $1,000_',
      '*Handoffs past SLA*\n2  _still pending_',
    ]);
    expect(fields.length).toBeLessThanOrEqual(10);
    expect(text).toBe(
      'Weekly digest Nov 16 – Nov 23, 2026: 12 leads handed off, 33% accepted, avg rating 3.7, revenue $48,000 · €12,500.50, 2 past SLA',
    );
  });

  it('aligns the campaign figures in a table and names the top rejection reasons', () => {
    const { blocks } = digestMessage(
      digest([
        campaign('Webinar', {
          handoffs: 8,
          accepted: 2,
          rejected: 5,
          pending: 1,
          acceptance_rate: 0.25,
          avg_rating: 11 / 3,
          top_reject_reasons: [
            { reason: 'no_budget', count: 2 },
            { reason: 'something_new', count: 1 },
          ],
        }),
        campaign(null, { handoffs: 1, accepted: 1, acceptance_rate: 1, deals_won: 1, revenue: { USD: 3000 } }),
      ]),
      EMPTY,
    );
    const table =
      texts(blocks)
        .match(/```(.*?)```/)?.[1]
        ?.split('\\n') ?? [];
    expect(table).toHaveLength(3);
    expect(table[1]).toMatch(/^Webinar {17}\s+8\s+2\s+5\s+1\s+25%\s+3\.7\s+—/);
    expect(table[2]).toMatch(/^No campaign\s+1\s+1\s+0\s+0\s+100%\s+—\s+—\s+1\s+0\s+\$3,000$/);
    // Numbers are right-aligned under their heading: "Leads" ends at column 30, and so do the counts.
    for (const line of table) expect(line.slice(0, 30)).toMatch(/^.{24} +\S+$/);
    expect(texts(blocks)).toContain('• *Webinar*: No budget (2), something_new (1)');
  });

  it('escapes campaign names so they cannot ping a channel or break the table', () => {
    const { blocks } = digestMessage(
      digest([campaign('<!channel> & `Friends`', { handoffs: 1, top_reject_reasons: [{ reason: 'junk', count: 1 }] })]),
      EMPTY,
    );
    const json = texts(blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt; &amp;');
    expect(json.match(/```/g)).toHaveLength(2);
  });

  it('lists at most 30 campaigns, within 50 blocks, and says how many more there are', () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      campaign(`Campaign ${i} ${'x'.repeat(200)}`, {
        handoffs: 500 - i,
        rejected: 1,
        top_reject_reasons: [{ reason: 'no_need', count: 1 }],
      }),
    );
    const { blocks } = digestMessage(digest(many), EMPTY);
    expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    const json = texts(blocks);
    expect(json).toContain('…and 470 more campaigns');
    expect(json).toContain('Campaign 29 ');
    expect(json).not.toContain('Campaign 30 ');
    for (const block of blocks as Array<{ text?: { text: string }; fields?: Array<{ text: string }> }>) {
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
    }
    expect(texts(digestMessage(digest(many.slice(0, 31)), EMPTY).blocks)).toContain('…and 1 more campaign"');
  });

  it('says so when nothing happened, with dashes rather than 0% for rates without data', () => {
    const { blocks, text } = digestMessage(EMPTY, EMPTY);
    expect(texts(blocks)).toContain('No handoffs, feedback or deals in this period.');
    expect(text).toContain('0 leads handed off, — accepted');
  });

  it('shows the period in the digest time zone, the end day being the last one included', () => {
    expect(formatPeriod('2026-10-05T00:00:00Z', '2026-10-12T00:00:00Z', 'UTC')).toBe('Oct 5 – Oct 11, 2026');
    expect(formatPeriod('2026-12-28T08:00:00Z', '2027-01-04T08:00:00Z', 'Europe/Berlin')).toBe(
      'Dec 28, 2026 – Jan 4, 2027',
    );
  });
});
