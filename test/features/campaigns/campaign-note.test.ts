import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import type { CampaignStatus } from '../../../src/db/schema.js';
import { campaignNoteJob } from '../../../src/features/campaigns/job.js';
import { campaignNote, NOTE_SECTION_MAX } from '../../../src/features/campaigns/note-blocks.js';
import type { NoteCampaign } from '../../../src/features/campaigns/queries.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { seedLead } from '../../support/fixtures.js';
import { CHANNELS, SIGNING_SECRET, startTestApp } from '../../support/harness.js';
import { sendCommand } from '../../support/slack-requests.js';

/** Monday 30 November 2026, 08:30 in Los Angeles (16:30 UTC): when the note goes out. */
const NOW = new Date('2026-11-30T16:30:00Z');
const ZONE = 'America/Los_Angeles';
const at = (iso: string) => new Date(iso);

async function campaign(
  db: Db,
  crmId: string,
  values: { status: CampaignStatus; starts_at?: Date; ends_at?: Date; updated_at?: Date; placeholder?: boolean },
) {
  return db
    .insertInto('campaigns')
    .values({ crm_id: crmId, name: `Campaign ${crmId}`, owner_slack_user_id: 'UMKTG0001', ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Live, launching, ended and old campaigns around the windows' edges, which are calendar days in Los Angeles:
 * launching until Tue 15 Dec 00:00 PST (08:00 UTC), ended since Mon 23 Nov 00:00 PST (08:00 UTC).
 */
async function seedCampaigns(db: Db) {
  const live = await campaign(db, 'LIVE', {
    status: 'launched',
    starts_at: at('2026-11-01T00:00:00Z'),
    ends_at: at('2026-12-20T00:00:00Z'),
  });
  await db
    .updateTable('campaigns')
    .set({ talking_points: 'Ask about *Q4* budgets', offer: '20% off <year one>' })
    .where('id', '=', live.id)
    .execute();
  const announcement = await db
    .insertInto('outbox')
    .values({
      method: 'chat.postMessage',
      channel: CHANNELS.SALES_CHANNEL,
      payload: '{}',
      status: 'delivered',
      delivered_ts: '1764000000.123456',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('campaigns')
    .set({ announcement_outbox_id: announcement.id })
    .where('id', '=', live.id)
    .execute();
  await campaign(db, 'OPEN', { status: 'updated' });
  await campaign(db, 'SOON', { status: 'planned', starts_at: at('2026-12-03T17:00:00Z') });
  await campaign(db, 'EDGE-IN', { status: 'planned', starts_at: at('2026-12-15T07:59:59Z') });
  await campaign(db, 'EDGE-OUT', { status: 'planned', starts_at: at('2026-12-15T08:00:00Z') });
  await campaign(db, 'ENDED', {
    status: 'ended',
    starts_at: at('2026-10-01T00:00:00Z'),
    ends_at: at('2026-11-23T08:00:00Z'),
  });
  // 20:00 on Sunday 22 November in Los Angeles: before the window there, though inside it in UTC.
  await campaign(db, 'OLD', {
    status: 'ended',
    starts_at: at('2026-10-01T00:00:00Z'),
    ends_at: at('2026-11-23T04:00:00Z'),
  });
  await campaign(db, 'STOPPED', { status: 'ended', updated_at: at('2026-11-27T12:00:00Z') });
  await campaign(db, 'NAMED-ONLY', { status: 'planned', placeholder: true, starts_at: at('2026-12-02T00:00:00Z') });

  // How the ended campaign's leads did: 2 handoffs (1 accepted), ratings 5 and 3, a won deal.
  const ended = await db.selectFrom('campaigns').select('id').where('crm_id', '=', 'ENDED').executeTakeFirstOrThrow();
  for (const [i, status] of (['accepted', 'rejected'] as const).entries()) {
    const lead = await seedLead(db, { crm_id: `L-${i}`, name: `Lead ${i}` });
    await db
      .insertInto('handoffs')
      .values({
        event_id: `e-${i}`,
        lead_id: lead.id,
        campaign_id: ended.id,
        occurred_at: at('2026-10-10T10:00:00Z'),
        status,
      })
      .execute();
    await db
      .insertInto('lead_feedback')
      .values({
        lead_id: lead.id,
        rater_slack_user_id: 'UREP',
        rating: i === 0 ? 5 : 3,
        sales_ready: i === 0,
        created_at: at('2026-10-11T10:00:00Z'),
      })
      .execute();
  }
  await db
    .insertInto('deals')
    .values({
      crm_id: 'D-1',
      name: 'Won',
      amount: 1000,
      currency: 'USD',
      stage: 'won',
      closed_at: at('2026-11-01T10:00:00Z'),
      campaign_id: ended.id,
    })
    .execute();
}

type Block = { type: string; text?: { text: string }; elements?: Array<{ text: string }> };
const lines = (blocks: unknown) =>
  (blocks as Block[]).map((b) => b.text?.text ?? b.elements?.map((e) => e.text).join(' ') ?? b.type);

describe.each(DATABASE_KINDS)('the weekly campaign note on %s', (kind) => {
  const t = useTestApp(kind, { env: { DIGEST_TIMEZONE: ZONE } });
  const notes = () =>
    t.slack.okCallsOf('chat.postMessage').filter((call) => call.args.channel === CHANNELS.SALES_CHANNEL);

  it('tells sales what is live, what launches in the next 14 days and how the week’s ended campaigns did', async () => {
    await seedCampaigns(t.app.tandem.deps.db);
    const job = campaignNoteJob(t.app.tandem.deps);
    // Scheduled as configured (the default, Monday 08:30, is checked with the config).
    expect(job).toMatchObject({
      name: 'campaign-note',
      cron: t.app.tandem.deps.config.schedule.campaignNoteCron,
      timezone: ZONE,
    });
    await job.run(NOW);
    await job.run(NOW);
    const [note] = await t.slack.waitFor(() => notes().length > 0 && notes(), 5_000, 'the note');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(notes()).toHaveLength(1);

    const text = lines(note?.args.blocks);
    const sectionOf = (title: string) => {
      const start = text.findIndex((line) => line.includes(title));
      const end = text.indexOf('divider', start);
      return text.slice(start, end === -1 ? undefined : end).join('\n');
    };
    const live = sectionOf('Live now');
    expect(live).toContain('Live now* (2)');
    expect(live).toContain('Campaign LIVE');
    expect(live).toContain('Nov 1 – Dec 20, 2026');
    expect(live).toContain('<@UMKTG0001>');
    expect(live).toContain('Ask about *Q4* budgets');
    expect(live).toContain('20% off &lt;year one&gt;');
    expect(live).toContain(`https://slack.com/archives/${CHANNELS.SALES_CHANNEL}/p1764000000123456`);
    expect(live).toContain('Campaign OPEN');
    const launching = sectionOf('Launching in the next 14 days');
    expect(launching).toContain('(2)');
    expect(launching.indexOf('Campaign SOON')).toBeLessThan(launching.indexOf('Campaign EDGE-IN'));
    expect(launching).toContain('starts Dec 3, 2026');
    const ended = sectionOf('Ended in the last 7 days');
    expect(ended).toContain('(2)');
    expect(ended).toContain('*Campaign ENDED* · ended Nov 23, 2026 · 2 handoffs, 50% accepted, rating 4.0, $1,000 won');
    expect(ended).toContain('*Campaign STOPPED* · ended · no leads handed off');
    for (const absent of ['EDGE-OUT', 'OLD', 'NAMED-ONLY']) expect(text.join('\n')).not.toContain(`Campaign ${absent}`);
    expect(String(note?.args.text)).toBe(
      'Campaigns this week: 2 live, 2 launching in the next 14 days, 2 ended in the last 7 days',
    );
  });

  it('shows whoever types /campaign list the same note, privately', async () => {
    await seedCampaigns(t.app.tandem.deps.db);
    await sendCommand(t.app.url, SIGNING_SECRET, {
      command: '/campaign',
      text: 'list',
      response_url: t.slack.responseUrl('list-1'),
    });
    const reply = await t.slack.waitFor(() => t.slack.responses.find((r) => r.id === 'list-1'), 5_000, 'the reply');
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
    const text = lines(reply.body.blocks).join('\n');
    expect(text).toContain('Live now* (2)');
    expect(text).toContain('Campaign SOON');
    expect(t.slack.callsOf('views.open')).toHaveLength(0);
    expect(notes()).toHaveLength(0);

    const other = { command: '/campaign', text: 'lsit', response_url: t.slack.responseUrl('list-2') };
    await sendCommand(t.app.url, SIGNING_SECRET, other);
    const usage = await t.slack.waitFor(() => t.slack.responses.find((r) => r.id === 'list-2'), 5_000, 'the usage');
    expect(String(usage.body.text)).toContain('`/campaign list`');
    expect(t.slack.callsOf('views.open')).toHaveLength(0);
  });

  it('says in one line when there is nothing to tell', async () => {
    await campaignNoteJob(t.app.tandem.deps).run(NOW);
    const [note] = await t.slack.waitFor(() => notes().length > 0 && notes(), 5_000, 'the note');
    expect(note?.args.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'No campaigns live, launching in the next 14 days, or ended in the last 7 days.',
        },
      },
    ]);
  });

  it.runIf(kind === 'postgres')('posts once when two replicas run the same tick together', async () => {
    await seedCampaigns(t.app.tandem.deps.db);
    const other = await startTestApp(t.slack, t.database, { DIGEST_TIMEZONE: ZONE });
    try {
      await Promise.all([campaignNoteJob(t.app.tandem.deps).run(NOW), campaignNoteJob(other.tandem.deps).run(NOW)]);
      await t.slack.waitFor(() => notes().length > 0, 5_000, 'the note');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(notes()).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });
});

describe('the campaign note’s size', () => {
  it('lists ten campaigns a section and counts the rest, within Slack’s 50 blocks', () => {
    const many = Array.from(
      { length: 25 },
      (_, i) => ({ crm_id: `C${i}`, name: `C${i}`, starts_at: NOW, ends_at: NOW }) as NoteCampaign,
    );
    const note = campaignNote({
      live: many,
      launching: many,
      ended: many,
      results: new Map(),
      now: NOW,
      timeZone: ZONE,
    });
    expect(note.blocks.length).toBeLessThanOrEqual(50);
    const text = lines(note.blocks);
    expect(text.filter((line) => line === '…and 15 more')).toHaveLength(3);
    expect(text.filter((line) => /^\*C\d+\*/.test(line))).toHaveLength(3 * NOTE_SECTION_MAX);
    for (const block of note.blocks as Block[]) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
  });
});
