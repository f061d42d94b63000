import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { handoffJobs } from '../../../src/features/handoffs/job.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { slashCommand } from '../../support/commands.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import type { RecordedCall } from '../../support/fake-slack.js';
import { seedCampaign } from '../../support/fixtures.js';
import { BOT_TOKEN, CHANNELS, SIGNING_SECRET } from '../../support/harness.js';
import { handoffEvent, postWebhook } from '../../support/webhooks.js';

const ADMIN = 'UADMIN001';
const [BERLIN_REP, TEAM_REP] = ['UBERLIN01', 'UTEAMREP1'];
const [WEBINARS, LEADS] = ['C0WEBINAR1', 'C0LEADS01'];

describe.each(DATABASE_KINDS)('routes and the working-hours clock on %s', (kind) => {
  const t = useTestApp(kind, {
    env: {
      TANDEM_ADMINS: ADMIN,
      HANDOFF_SLA_HOURS: '2',
      WORKING_HOURS: 'Mon-Fri 09:00-17:00',
      DIGEST_TIMEZONE: 'America/New_York',
      SLA_CHECK_CRON: '0 0 1 1 *',
    },
    async seed({ slack, app }) {
      slack.users.set('berlin@acme.example', BERLIN_REP);
      slack.users.set('team@acme.example', TEAM_REP);
      slack.profiles.set(BERLIN_REP, { name: 'bea', realName: 'Bea', tz: 'Europe/Berlin' });
      await seedCampaign(app.tandem.deps.db, { crm_id: 'CMP-7', name: 'Q4 Webinar' });
      await seedCampaign(app.tandem.deps.db, { crm_id: 'CMP-8', name: 'Trade show' });
    },
  });
  const textOf = (c: RecordedCall) => String(c.args.text);

  /** Runs `/tandem <text>` as `userId` and returns the private answer. */
  const tandem = (text: string, userId: string) => slashCommand(t, '/tandem', text, userId);
  async function handOff(
    leadId: string,
    campaignId: string | undefined,
    occurredAt: string,
    email = 'team@acme.example',
  ) {
    const event = handoffEvent({
      occurred_at: occurredAt,
      lead: { id: leadId, name: `Lead ${leadId}`, ...(campaignId ? { campaign_id: campaignId } : {}) },
      owner: { email },
    });
    expect((await postWebhook(t.app.url, '/webhooks/lead-handoff', event)).status).toBe(202);
    const card = await t.slack.waitFor(
      () => t.slack.okCallsOf('chat.postMessage').find((c) => textOf(c).includes(`Lead ${leadId}`)),
      5_000,
      `the card for ${leadId}`,
    );
    const row = await t.app.tandem.deps.db
      .selectFrom('handoffs')
      .selectAll()
      .where('event_id', '=', event.event_id)
      .executeTakeFirstOrThrow();
    return { card, row };
  }

  it('posts cards for a routed campaign in its channel, the rest in the default route, else SALES_CHANNEL', async () => {
    const now = new Date().toISOString();
    expect(await tandem('route campaign CMP-7 <#C0WEBINAR1|webinars>', 'UREP00001')).toContain('Only Tandem admins');
    expect(await tandem('route campaign CMP-7 #webinars', ADMIN)).toContain('Usage: `/tandem route campaign');
    expect((await handOff('L-0', 'CMP-7', now)).card.args.channel).toBe(CHANNELS.SALES_CHANNEL);

    expect(await tandem('route campaign CMP-7 <#C0WEBINAR1|webinars>', ADMIN)).toContain(`<#${WEBINARS}>`);
    expect((await handOff('L-1', 'CMP-7', now)).card.args.channel).toBe(WEBINARS);
    expect((await handOff('L-2', 'CMP-8', now)).card.args.channel).toBe(CHANNELS.SALES_CHANNEL);

    expect(await tandem(`route default ${LEADS}`, ADMIN)).toContain(`<#${LEADS}>`);
    expect((await handOff('L-3', 'CMP-8', now)).card.args.channel).toBe(LEADS);
    expect((await handOff('L-4', undefined, now)).card.args.channel).toBe(LEADS);
    expect((await handOff('L-5', 'CMP-7', now)).card.args.channel).toBe(WEBINARS);

    const list = await tandem('route list', 'UREP00001');
    expect(list).toContain(`campaign \`CMP-7\` → <#${WEBINARS}>`);
    expect(list).toContain(`everything else → <#${LEADS}>`);
  });

  it('counts working hours in the owner’s Slack zone, else DIGEST_TIMEZONE', async () => {
    // Friday 2026-11-27 16:30 in Berlin, 10:30 in New York.
    const friday = '2026-11-27T15:30:00.000Z';
    const berlin = await handOff('L-B', undefined, friday, 'berlin@acme.example');
    const team = await handOff('L-T', undefined, friday);
    await handoffJobs(t.app.tandem.deps)[0]?.run(new Date());
    const clocks = await t.app.tandem.deps.db
      .selectFrom('handoffs')
      .select(['id', 'sla_due_at', 'sla_late_at'])
      .where('id', 'in', [berlin.row.id, team.row.id])
      .execute();
    const byId = new Map(clocks.map((c) => [c.id, c]));
    // Berlin: 30 minutes on Friday, 90 on Monday: due Monday 10:30, twice the SLA Monday 12:30 (CET).
    expect(byId.get(berlin.row.id)?.sla_due_at?.toISOString()).toBe('2026-11-30T09:30:00.000Z');
    expect(byId.get(berlin.row.id)?.sla_late_at?.toISOString()).toBe('2026-11-30T11:30:00.000Z');
    // No zone in Slack: New York's day, due Friday 12:30 and 14:30 (EST).
    expect(byId.get(team.row.id)?.sla_due_at?.toISOString()).toBe('2026-11-27T17:30:00.000Z');
    expect(byId.get(team.row.id)?.sla_late_at?.toISOString()).toBe('2026-11-27T19:30:00.000Z');
  });
});

describe('routing settings', () => {
  const base = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    ...CHANNELS,
  };
  it('reads WORKING_HOURS, HANDOFF_BURST, HANDOFF_REASSIGN and MAX_REASSIGNMENTS, with their defaults', () => {
    const defaults = loadConfig(base).routing;
    expect(defaults).toEqual({ reassign: undefined, maxReassignments: 2, burst: 10, workingHours: undefined });
    const set = loadConfig({
      ...base,
      WORKING_HOURS: 'Mon-Fri 08:00-16:30',
      HANDOFF_BURST: '25',
      HANDOFF_REASSIGN: 'false',
      MAX_REASSIGNMENTS: '1',
    }).routing;
    expect(set).toEqual({
      reassign: false,
      maxReassignments: 1,
      burst: 25,
      workingHours: { days: [1, 2, 3, 4, 5], startMinute: 480, endMinute: 990 },
    });
  });
  it('names every bad routing setting at once', () => {
    const bad = () => loadConfig({ ...base, WORKING_HOURS: 'weekdays', HANDOFF_BURST: '0', HANDOFF_REASSIGN: 'maybe' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/WORKING_HOURS must read like Mon-Fri 09:00-17:00/);
    expect(bad).toThrow(/HANDOFF_BURST must be at least 1/);
    expect(bad).toThrow(/HANDOFF_REASSIGN must be true or false/);
  });
});
