import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { seedCampaign } from '../../support/fixtures.js';
import { DIGEST_API_TOKEN, SIGNING_SECRET } from '../../support/harness.js';
import { appHomeOpened, sendEvent } from '../../support/slack-requests.js';
import { postWebhook } from '../../support/webhooks.js';

const REP = 'UREP00001';
const HOUR = 3_600_000;

/**
 * "The lead's most recent handoff" decides which campaign a lead's feedback counts for. The digest and the Home tab
 * read it from one definition; this story checks that they agree where the definition matters: a handoff that
 * happened later but arrived earlier, and two handoffs that happened at the same moment.
 */
describe.each(DATABASE_KINDS)('attribution on %s', (kind) => {
  const t = useTestApp(kind, {
    async seed({ slack, app }) {
      slack.users.set('rep@acme.example', REP);
      await seedCampaign(app.tandem.deps.db, { crm_id: 'CMP-A', name: 'Campaign A' });
      await seedCampaign(app.tandem.deps.db, { crm_id: 'CMP-B', name: 'Campaign B' });
    },
  });

  const handOff = async (leadId: string, campaignId: string, occurredAt: Date) => {
    const event = {
      event_id: `evt-${leadId}-${campaignId}-${occurredAt.getTime()}`,
      occurred_at: occurredAt.toISOString(),
      lead: { id: leadId, name: `Lead ${leadId}`, campaign_id: campaignId },
      owner: { email: 'rep@acme.example' },
    };
    expect((await postWebhook(t.app.url, '/webhooks/lead-handoff', event)).status).toBe(202);
  };

  const rateLead = async (crmId: string) => {
    const db = t.app.tandem.deps.db;
    const lead = await db.selectFrom('leads').select('id').where('crm_id', '=', crmId).executeTakeFirstOrThrow();
    await db
      .insertInto('lead_feedback')
      .values({ lead_id: lead.id, rater_slack_user_id: REP, rating: 4, sales_ready: true })
      .execute();
  };

  it('the digest and the Home tab credit the same campaign with a lead’s feedback', async () => {
    const now = Date.now();
    // L-1: the handoff to B happened later, but A's event arrives last.
    await handOff('L-1', 'CMP-B', new Date(now - 1 * HOUR));
    await handOff('L-1', 'CMP-A', new Date(now - 2 * HOUR));
    // L-2: both at the same moment; the one received last (B) is the most recent.
    const same = new Date(now - 3 * HOUR);
    await handOff('L-2', 'CMP-A', same);
    await handOff('L-2', 'CMP-B', same);
    await rateLead('L-1');
    await rateLead('L-2');

    const res = await fetch(`${t.app.url}/api/digest`, { headers: { authorization: `Bearer ${DIGEST_API_TOKEN}` } });
    expect(res.status).toBe(200);
    const digest = (await res.json()) as { campaigns: Array<{ campaign_id: string; feedback_count: number }> };
    const digestFeedback = Object.fromEntries(digest.campaigns.map((c) => [c.campaign_id, c.feedback_count]));
    expect(digestFeedback).toEqual({ 'CMP-A': 0, 'CMP-B': 2 });

    expect((await sendEvent(t.app.url, SIGNING_SECRET, appHomeOpened(REP))).status).toBe(200);
    const publish = await t.slack.waitFor(() => t.slack.okCallsOf('views.publish').find((c) => c.args.user_id === REP));
    const blocks = (publish.args.view as { blocks: Array<{ text?: { text: string }; fields?: { text: string }[] }> })
      .blocks;
    const homeFeedback = Object.fromEntries(
      blocks
        .filter((b) => b.text?.text.startsWith('*Campaign ') && b.fields)
        .map((b) => [
          b.text?.text.replace(/\*/g, ''),
          Number(b.fields?.find((f) => f.text.startsWith('*Feedback*'))?.text.split('\n')[1]),
        ]),
    );
    expect(homeFeedback).toEqual({ 'Campaign A': 0, 'Campaign B': 2 });
  });
});
