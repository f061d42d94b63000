import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { weeklyDigestJob } from '../../src/features/digest/job.js';
import { useTestApp } from '../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { seedCampaign, seedLead } from '../support/fixtures.js';
import { openHome } from '../support/home.js';

const MANAGER = 'UMGR00001';
const ADMIN = 'UADM00002';
const REP = 'UREP00001';
const DAY = 86_400_000;

type Block = { type: string; text?: { text: string }; slack_file?: { id: string }; alt_text?: string };

/** Two campaigns this month: one whose leads reps rate 5, one whose leads they rate 2 (and more of them). */
async function seedQuality(db: Db) {
  for (const [crmId, name, rating, count] of [
    ['CMP-GOOD', 'Good leads', 5, 1],
    ['CMP-POOR', 'Poor leads', 2, 3],
  ] as const) {
    const campaign = await seedCampaign(db, { crm_id: crmId, name });
    for (let i = 0; i < count; i++) {
      const lead = await seedLead(db, { crm_id: `${crmId}-L${i}`, name: `Lead ${i}` });
      const at = new Date(Date.now() - 3 * DAY);
      await db
        .insertInto('handoffs')
        .values({ event_id: `${crmId}-${i}`, lead_id: lead.id, campaign_id: campaign.id, occurred_at: at })
        .execute();
      await db
        .insertInto('lead_feedback')
        .values({ lead_id: lead.id, rater_slack_user_id: REP, rating, sales_ready: rating > 3, created_at: at })
        .execute();
    }
  }
}

describe.each(DATABASE_KINDS)('App Home for managers on %s', (kind) => {
  const t = useTestApp(kind, { env: { SALES_MANAGER_USER_ID: MANAGER, TANDEM_ADMINS: `UADM00001, ${ADMIN}` } });

  const homeOf = async (user: string) => (await openHome<{ blocks: Block[] }>(t, user, 15_000)).blocks;
  const text = (blocks: Block[]) => blocks.map((b) => b.text?.text ?? b.type).join('\n');

  it('shows the sales manager the team’s 8-week chart and the campaigns from the best leads down', async () => {
    await seedQuality(t.app.tandem.deps.db);
    const blocks = await homeOf(MANAGER);
    expect(blocks[0]?.text?.text).toBe('Your team, last 8 weeks');
    const image = blocks[1];
    expect(image).toMatchObject({ type: 'image', alt_text: expect.stringContaining('Chart of handoffs') });
    // Before any weekly digest, drawn for the Home and uploaded without being shared anywhere.
    expect(t.slack.files.get(image?.slack_file?.id ?? '')?.completed).toMatchObject({ channel_id: undefined });
    const all = text(blocks);
    expect(all).toContain('Campaigns by lead quality, last 56 days');
    expect(all.indexOf('*Good leads*')).toBeLessThan(all.indexOf('*Poor leads*'));
  }, 30_000);

  it('shows an admin the chart the weekly digest posted, without drawing another', async () => {
    await seedQuality(t.app.tandem.deps.db);
    await weeklyDigestJob(t.app.tandem.deps).run(new Date());
    const posted = await t.slack.waitFor(
      () => [...t.slack.files.values()].find((f) => f.completed?.channel_id),
      15_000,
      'the weekly chart',
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // the outbox records the delivery after Slack's answer
    const uploads = t.slack.callsOf('files.getUploadURLExternal').length;
    const blocks = await homeOf(ADMIN);
    expect(blocks[1]?.slack_file?.id).toBe(posted.id);
    expect(t.slack.callsOf('files.getUploadURLExternal')).toHaveLength(uploads);
  }, 30_000);

  it('leaves a rep’s Home as it was', async () => {
    await seedQuality(t.app.tandem.deps.db);
    const blocks = await homeOf(REP);
    expect(blocks[0]?.text?.text).toBe('Your pending handoffs');
    expect(blocks.some((b) => b.type === 'image')).toBe(false);
    expect(t.slack.callsOf('files.getUploadURLExternal')).toHaveLength(0);
  });
});
