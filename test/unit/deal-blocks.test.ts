import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { type CelebrationInput, dealCelebration, lostCelebration } from '../../src/features/deals/blocks.js';
import { calendarDay, daysBetween } from '../../src/slack/kit/index.js';

const deal: CelebrationInput['deal'] = {
  crm_id: 'D-500',
  name: 'Northwind platform rollout',
  company: 'Northwind',
  amount: '48000.00',
  currency: 'USD',
  closed_at: new Date('2026-11-23T09:00:00Z'),
  owner_email: 'rep@acme.example',
  owner_slack_user_id: 'UREP0042',
  url: 'https://crm.example.com/deals/500',
};
const campaign = {
  name: 'Q4 Webinar: Pipeline Hygiene',
  url: 'https://crm.example.com/campaigns/7',
  owner_slack_user_id: 'UMKT0001',
  owner_email: 'mia@acme.example',
};
const lead = { crm_id: 'L-1001', name: 'Dana Whitfield', url: 'https://crm.example.com/leads/1001' };

/** Every mrkdwn string in the message, where Slack would parse mentions and links. */
function mrkdwnTexts(blocks: KnownBlock[]): string[] {
  const texts: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') texts.push(o.text);
      Object.values(o).forEach(visit);
    }
  };
  visit(blocks);
  return texts;
}

describe('dates', () => {
  it('formats the day in UTC and counts calendar days', () => {
    expect(calendarDay(new Date('2026-11-03T23:30:00Z'))).toBe('Nov 3, 2026');
    expect(daysBetween(new Date('2026-11-03T23:30:00Z'), new Date('2026-11-04T00:10:00Z'))).toBe(1);
    expect(daysBetween(new Date('2026-11-03T15:00:00Z'), new Date('2026-11-23T09:00:00Z'))).toBe(20);
    expect(daysBetween(new Date('2026-11-23T09:00:00Z'), new Date('2026-11-03T15:00:00Z'))).toBe(-20);
  });
});

describe('win celebration', () => {
  it('names the deal, amount, rep and how marketing got the lead', () => {
    const { text, blocks } = dealCelebration({
      deal,
      lead,
      campaign,
      handedOffAt: new Date('2026-11-03T15:00:00Z'),
      rating: 4,
    });
    const all = mrkdwnTexts(blocks).join('\n');
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: '🎉 Closed won: $48,000' } });
    expect(all).toContain('*Northwind platform rollout* · Northwind');
    expect(all).toContain('*$48,000* closed by <@UREP0042>');
    expect(all).toContain('<https://crm.example.com/campaigns/7|Q4 Webinar: Pipeline Hygiene>');
    expect(all).toContain('Marketer: <@UMKT0001>');
    expect(all).toContain('Nov 3, 2026 · 20 days to close');
    expect(all).toContain('★★★★☆ 4/5');
    expect(all).toContain('Dana Whitfield (L-1001)');
    expect(all).toContain('Deal <https://crm.example.com/deals/500|D-500>');
    expect(text).toBe(
      '🎉 <@UREP0042> closed Northwind platform rollout (Northwind) for $48,000 · campaign Q4 Webinar: Pipeline Hygiene',
    );
  });

  it('says when no campaign is known and invents none', () => {
    const { text, blocks } = dealCelebration({ deal: { ...deal, owner_slack_user_id: null, company: null } });
    const all = mrkdwnTexts(blocks).join('\n');
    expect(all).toContain('Sourced outside a tracked campaign');
    expect(all).not.toMatch(/Campaign\*|Marketer|Handed off|Lead quality/);
    expect(all).toContain('closed by rep@acme.example');
    expect(text).toContain('sourced outside a tracked campaign');
  });

  it('shows a campaign without an owner as such, and a same-day close', () => {
    const { blocks } = dealCelebration({
      deal: { ...deal, amount: '12500.00', currency: 'EUR' },
      campaign: { name: 'CMP-404', url: null, owner_email: null, owner_slack_user_id: null },
      handedOffAt: new Date('2026-11-23T01:00:00Z'),
    });
    const all = mrkdwnTexts(blocks).join('\n');
    expect(all).toContain('*€12,500*');
    expect(all).toContain('*Campaign*\nCMP-404\nMarketer: _not on record_');
    expect(all).toContain('Nov 23, 2026 · closed the same day');
    expect(all).not.toContain('Lead quality');
  });

  it('escapes outside text so no one is pinged and no link is injected', () => {
    const { text, blocks } = dealCelebration({
      deal: {
        ...deal,
        name: '<!channel> deal',
        company: '<@U999> & Co',
        owner_slack_user_id: null,
        owner_email: '<!here>@x.example',
      },
      campaign: { ...campaign, name: '<https://evil.example|click>', owner_slack_user_id: null, owner_email: null },
      lead: { ...lead, name: '<!everyone>' },
    });
    expect(JSON.stringify({ text, blocks })).not.toMatch(/<!|<@U999|<https:\/\/evil/);
    const all = mrkdwnTexts(blocks).join('\n');
    expect(all).toContain('&lt;!channel&gt; deal');
    expect(all).toContain('&lt;@U999&gt; &amp; Co');
    expect(all).toContain('&lt;!here&gt;@x.example');
  });

  it('stays within Block Kit limits however long the inputs', () => {
    const long = '&<>'.repeat(2000);
    const { blocks } = dealCelebration({
      deal: { ...deal, name: long, company: long, crm_id: long, owner_slack_user_id: null, owner_email: long },
      campaign: {
        name: long,
        url: `https://x.example/${'a'.repeat(1990)}`,
        owner_email: long,
        owner_slack_user_id: null,
      },
      lead: { crm_id: long, name: long, url: `https://x.example/${'b'.repeat(1990)}` },
      handedOffAt: new Date('2026-11-01T00:00:00Z'),
      rating: 5,
    });
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) {
      const b = block as {
        type: string;
        text?: { text: string };
        fields?: { text: string }[];
        elements?: { text: string }[];
      };
      if (b.type === 'header') expect(b.text?.text.length).toBeLessThanOrEqual(150);
      else if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      expect(b.fields?.length ?? 0).toBeLessThanOrEqual(10);
      for (const field of b.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
      for (const element of b.elements ?? []) expect(element.text.length).toBeLessThanOrEqual(3000);
    }
  });
});

describe('a celebration reopened and lost', () => {
  const won = dealCelebration({ deal, lead, campaign, handedOffAt: new Date('2026-11-03T15:00:00Z'), rating: 4 });
  const lost = (lost_reason: string | null) =>
    lostCelebration(won, {
      lost_reason,
      source_updated_at: new Date('2026-11-26T12:00:00Z'),
      updated_at: new Date('2026-11-27T00:00:00Z'),
    });

  it('says so first, with the day and the reason, and strikes through what it claimed', () => {
    const { text, blocks } = lost('Budget <!channel> frozen');
    expect(blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: ':x: *Reopened and lost* Nov 26, 2026: Budget &lt;!channel&gt; frozen' },
    });
    // The header (plain_text cannot be struck) becomes a struck mrkdwn line.
    expect(blocks.some((b) => b.type === 'header')).toBe(false);
    expect(blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '~🎉 Closed won: $48,000~' } });
    expect(mrkdwnTexts([blocks[2] as KnownBlock])).toEqual([
      '~*Northwind platform rollout* · Northwind~\n~*$48,000* closed by <@UREP0042>~',
    ]);
    expect(text).toMatch(/^Reopened and lost Nov 26, 2026: ~🎉 <@UREP0042> closed Northwind platform rollout/);
    expect(blocks).toHaveLength(won.blocks.length + 1);
  });

  it('leaves the reason out when the CRM gave none', () => {
    const { blocks } = lost(null);
    expect(mrkdwnTexts([blocks[0] as KnownBlock])).toEqual([':x: *Reopened and lost* Nov 26, 2026']);
  });
});
