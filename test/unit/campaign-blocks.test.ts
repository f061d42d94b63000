import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  type AnnouncedCampaign,
  campaignAnnouncement,
  campaignConfirmation,
  campaignEndedNote,
  campaignModal,
  campaignUpdateNote,
} from '../../src/features/campaigns/blocks.js';
import { changedFields } from '../../src/features/campaigns/record.js';

const campaign: AnnouncedCampaign = {
  name: 'Winter Pipeline Push',
  status: 'launched',
  channel: 'webinar',
  starts_at: new Date('2026-11-23T09:00:00Z'),
  ends_at: new Date('2026-12-15T17:00:00Z'),
  audience: 'Ops leaders',
  goal: '40 SQLs',
  talking_points: 'Hygiene in 15 minutes',
  offer: '20% off',
  url: 'https://crm.example.com/campaigns/42',
  owner_email: 'mia@example.com',
  owner_slack_user_id: 'UMKT0001',
};

type AnyBlock = { type: string; text?: { type: string; text: string }; fields?: { text: string }[] };
type Element = { text: string };

/** Every text a message shows, by kind, for limit and escaping checks. */
function texts(blocks: KnownBlock[]) {
  const all = blocks as AnyBlock[];
  return {
    headers: all.filter((b) => b.type === 'header').map((b) => b.text?.text ?? ''),
    sections: all.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : [])),
    fields: all.flatMap((b) => (b.fields ?? []).map((f) => f.text)),
    context: all.flatMap((b) => ((b as { elements?: Element[] }).elements ?? []).map((e) => e.text)),
  };
}

describe('campaign announcement', () => {
  it('shows name, dates, owner, audience, goal, talking points, offer and link', () => {
    const { text, blocks } = campaignAnnouncement(campaign);
    const t = texts(blocks);
    expect(t.headers[0]).toContain('Winter Pipeline Push');
    const all = [...t.sections, ...t.fields, ...t.context].join('\n');
    for (const expected of ['Nov 23 – Dec 15, 2026', '<@UMKT0001>', 'Ops leaders', '40 SQLs', 'webinar', '20% off']) {
      expect(all).toContain(expected);
    }
    expect(all).toContain('Hygiene in 15 minutes');
    expect(all).toContain('<https://crm.example.com/campaigns/42|Campaign page>');
    expect(text).toBe('New campaign: Winter Pipeline Push (Nov 23 – Dec 15, 2026), owner <@UMKT0001>');
    expect(all).not.toContain('ended');
  });

  it('leaves out what is unknown and never links a non-http url', () => {
    const { blocks } = campaignAnnouncement({
      ...campaign,
      starts_at: null,
      ends_at: null,
      audience: null,
      goal: null,
      talking_points: null,
      offer: null,
      channel: null,
      url: 'javascript:alert(1)',
      owner_slack_user_id: null,
    });
    const t = texts(blocks);
    const all = [...t.sections, ...t.fields, ...t.context].join('\n');
    expect(all).not.toMatch(/Dates|Audience|Goal|Talking points|Offer/);
    expect(all).not.toContain('javascript:');
    expect(all).toContain('mia@example.com');
  });

  it('escapes every outside field', () => {
    const evil = '<!channel> & <@U999>';
    const { text, blocks } = campaignAnnouncement({
      ...campaign,
      name: evil,
      audience: evil,
      goal: evil,
      talking_points: evil,
      offer: evil,
      channel: evil,
      owner_slack_user_id: null,
      owner_email: '<!here>@x.example',
    });
    const t = texts(blocks);
    for (const s of [text, ...t.sections, ...t.fields, ...t.context])
      expect(s).not.toMatch(/<!channel>|<@U999>|<!here>/);
    expect(t.fields.join('\n')).toContain('&lt;!channel&gt; &amp; &lt;@U999&gt;');
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('stays within Block Kit limits at the contract maximums', () => {
    const { blocks } = campaignAnnouncement({
      ...campaign,
      name: 'N'.repeat(300),
      audience: '&'.repeat(1000),
      goal: '<'.repeat(1000),
      talking_points: '&'.repeat(3000),
      offer: '>'.repeat(1000),
      channel: '&'.repeat(200),
      url: `https://example.com/${'a'.repeat(1970)}`,
    });
    const t = texts(blocks);
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const h of t.headers) expect(h.length).toBeLessThanOrEqual(150);
    for (const s of t.sections) expect(s.length).toBeLessThanOrEqual(3000);
    for (const f of t.fields) expect(f.length).toBeLessThanOrEqual(2000);
    for (const c of t.context) expect(c.length).toBeLessThanOrEqual(3000);
    expect(t.sections.some((s) => s.endsWith('…'))).toBe(true);
  });

  it('marks an ended campaign', () => {
    const { text, blocks } = campaignAnnouncement({ ...campaign, status: 'ended' });
    expect(text).toMatch(/^Campaign ended/);
    expect(texts(blocks).context.join('\n')).toContain('This campaign has ended');
  });
});

describe('thread notes', () => {
  it('names what changed', () => {
    const after = { ...campaign, name: 'Winter Push', ends_at: new Date('2026-12-31T00:00:00Z'), offer: '30% off' };
    const changed = changedFields(campaign, after);
    expect(changed).toEqual(['name', 'dates', 'offer']);
    const note = texts(campaignUpdateNote(campaign, after, changed).blocks).sections.join('\n');
    expect(note).toContain('renamed from *Winter Pipeline Push*');
    expect(note).toContain('dates now *Nov 23 – Dec 31, 2026*');
    expect(note).toContain('new offer');
  });

  it('says it was updated even when it cannot tell what changed', () => {
    expect(changedFields(campaign, { ...campaign })).toEqual([]);
    const note = campaignUpdateNote(campaign, campaign, []);
    expect(texts(note.blocks).sections[0]).toBe(
      ':pencil2: *This campaign was updated*. The announcement above shows the latest.',
    );
  });

  it('notices talking points, link and owner changes, and escapes an old name', () => {
    const before = { ...campaign, name: '<!channel>' };
    const after = { ...campaign, talking_points: 'New', url: null, owner_slack_user_id: 'UMKT0002' };
    const changed = changedFields(before, after);
    expect(changed).toEqual(['name', 'talking_points', 'url', 'owner']);
    const note = texts(campaignUpdateNote(before, after, changed).blocks).sections[0];
    expect(note).toContain('renamed from *&lt;!channel&gt;*');
    expect(note).toContain('new talking points, campaign page and marketing owner');
  });

  it('says a campaign ended, with its end date', () => {
    const note = campaignEndedNote(campaign);
    expect(texts(note.blocks).sections[0]).toContain('This campaign has ended* (it ran until Dec 15, 2026)');
    expect(note.text).toBe('Campaign ended: Winter Pipeline Push');
  });

  it('confirms to the submitter, escaped', () => {
    expect(campaignConfirmation('<!channel>', 'C0SALES01', false)).toContain(
      '*&lt;!channel&gt;* is being announced in <#C0SALES01>',
    );
    expect(campaignConfirmation('X', 'C0SALES01', true)).toContain('already announced');
  });
});

describe('campaign modal', () => {
  it('stays within Slack limits', () => {
    const view = campaignModal({ responseUrl: `https://hooks.slack.com/commands/T0001/${'1'.repeat(200)}` });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit?.text.length).toBeLessThanOrEqual(24);
    expect(view.close?.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect((view.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
    for (const block of view.blocks) {
      const id = (block as { block_id?: string }).block_id;
      if (id) expect(id.length).toBeLessThanOrEqual(255);
    }
  });
});
