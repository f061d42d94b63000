import { describe, expect, it } from 'vitest';
import { weeklyDigestJob } from '../../../src/features/digest/job.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { seedCampaign, seedHandoff, seedLead } from '../../support/fixtures.js';
import { CHANNELS, DIGEST_API_TOKEN, SIGNING_SECRET, startTestApp, WEBHOOK_SECRET } from '../../support/harness.js';
import { sendCommand } from '../../support/slack-requests.js';
import { EXPECTED_DIGEST, FROM, seedDigestWorld, TO } from './digest-world.js';

/** GET /api/digest as a BI tool would; `authorization: null` sends no header. */
const getDigest = async (
  appUrl: string,
  query: string,
  authorization: string | null = `Bearer ${DIGEST_API_TOKEN}`,
) => {
  const res = await fetch(`${appUrl}/api/digest${query}`, { headers: authorization ? { authorization } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe.each(DATABASE_KINDS)('the weekly digest on %s', (kind) => {
  const t = useTestApp(kind);

  const digestPosts = () =>
    t.slack.okCallsOf('chat.postMessage').filter((call) => call.args.channel === CHANNELS.DIGEST_CHANNEL);

  it('gives a BI tool the week’s figures per campaign, worked out by hand', async () => {
    await seedDigestWorld(t.app.tandem.deps.db);
    const res = await getDigest(t.app.url, `?from=${FROM.toISOString()}&to=${TO.toISOString()}`);
    expect(res).toEqual({ status: 200, body: EXPECTED_DIGEST });
  });

  it('covers the 7 days up to now when no period is given', async () => {
    const campaign = await seedCampaign(t.app.tandem.deps.db, { crm_id: 'CMP-NOW', name: 'Now' });
    const lead = await seedLead(t.app.tandem.deps.db, { crm_id: 'L-NOW', name: 'Now' });
    await seedHandoff(t.app.tandem.deps.db, { lead_id: lead.id, campaign_id: campaign.id });
    await seedHandoff(t.app.tandem.deps.db, {
      lead_id: lead.id,
      campaign_id: campaign.id,
      occurred_at: new Date(Date.now() - 8 * 24 * 3_600_000),
    });
    const before = Date.now();
    const { status, body } = await getDigest(t.app.url, '');
    expect(status).toBe(200);
    const to = Date.parse(String(body.to));
    expect(to).toBeGreaterThanOrEqual(before - 1000);
    expect(to - Date.parse(String(body.from))).toBe(7 * 24 * 3_600_000);
    expect(body.totals).toMatchObject({ handoffs: 1, pending: 1, acceptance_rate: 0 });
    expect(body.sla_breaches).toBe(0);
  });

  it('refuses callers without the digest token, the webhook secret included', async () => {
    expect(await getDigest(t.app.url, '', null)).toEqual({ status: 401, body: { ok: false, error: 'unauthorized' } });
    expect((await getDigest(t.app.url, '', 'Bearer not-the-secret-at-all-00')).status).toBe(401);
    expect((await getDigest(t.app.url, '', `Bearer ${DIGEST_API_TOKEN}x`)).status).toBe(401);
    expect((await getDigest(t.app.url, '', DIGEST_API_TOKEN)).status).toBe(401);
    // The webhook secret sends events; it no longer reads revenue.
    expect((await getDigest(t.app.url, '', `Bearer ${WEBHOOK_SECRET}`)).status).toBe(401);
  });

  it('stays closed while DIGEST_API_TOKEN is unset, whatever WEBHOOK_SECRET is', async () => {
    await t.app.stop(); // one PGlite directory takes one process at a time
    t.app = await startTestApp(t.slack, t.database, { DIGEST_API_TOKEN: undefined });
    expect(await getDigest(t.app.url, '', `Bearer ${WEBHOOK_SECRET}`)).toEqual({
      status: 503,
      body: { ok: false, error: 'api_not_configured' },
    });
    expect(await getDigest(t.app.url, '')).toEqual({ status: 503, body: { ok: false, error: 'api_not_configured' } });
  });

  it('says which date is wrong', async () => {
    for (const query of [
      '?from=yesterday',
      '?from=2026-10-12T00:00:00Z&to=2026-10-05T00:00:00Z',
      '?from=2026-10-05T00:00:00Z&to=2026-10-05T00:00:00Z',
      '?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    ]) {
      const res = await getDigest(t.app.url, query);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ ok: false, error: 'invalid_query', issues: [{ path: 'from' }] });
    }
    const badTo = await getDigest(t.app.url, '?to=2026-13-01');
    expect(badTo).toMatchObject({ status: 400, body: { issues: [{ path: 'to' }] } });
  });

  it('posts the weekly digest to the digest channel once per scheduled run', async () => {
    await seedDigestWorld(t.app.tandem.deps.db);
    const job = weeklyDigestJob(t.app.tandem.deps);
    // Scheduled as configured (the default, Monday 09:00, is checked with the config).
    expect(job).toMatchObject({
      name: 'weekly-digest',
      cron: t.app.tandem.deps.config.schedule.digestCron,
      timezone: 'UTC',
    });
    await job.run(TO);
    await job.run(TO);
    const [post] = await t.slack.waitFor(() => digestPosts().length > 0 && digestPosts(), 5_000, 'the digest');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(digestPosts()).toHaveLength(1);
    const json = JSON.stringify(post?.args.blocks);
    expect(json).toContain('Weekly digest · Oct 5 – Oct 11, 2026');
    expect(json).toContain('Q4 Webinar');
    expect(json).toContain('Trade &lt;Show&gt; &amp; Co');
    expect(json).not.toContain('<Show>');
    expect(json).toContain('$56,000.50');
    expect(json).toContain('No budget (2)');
    expect(String(post?.args.text)).toContain('12 leads handed off, 33% accepted');
  });

  it('retries a run that failed instead of skipping the week', async () => {
    await seedDigestWorld(t.app.tandem.deps.db);
    const { db } = t.app.tandem.deps;
    let failures = 1;
    // The first transaction fails as if the database had gone away; the retry finds it back.
    const flakyDb = new Proxy(db, {
      get(target, property) {
        if (property === 'transaction' && failures-- > 0)
          throw Object.assign(new Error('Connection terminated'), { code: '57P01' });
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await weeklyDigestJob({ ...t.app.tandem.deps, db: flakyDb }, [20]).run(TO);
    await t.slack.waitFor(() => digestPosts().length === 1, 5_000, 'the digest after a retry');
    expect(t.app.rawLogs.join('\n')).toContain('weekly digest failed; retrying');
  });

  it('tells whoever types /digest, privately, how the last 7 days went', async () => {
    const lead = await seedLead(t.app.tandem.deps.db, { crm_id: 'L-NOW', name: 'Now' });
    await seedHandoff(t.app.tandem.deps.db, { lead_id: lead.id });
    const res = await sendCommand(t.app.url, SIGNING_SECRET, {
      command: '/digest',
      response_url: t.slack.responseUrl('digest-1'),
    });
    expect(res.status).toBe(200);
    const reply = await t.slack.waitFor(() => t.slack.responses.find((r) => r.id === 'digest-1'), 5_000, 'the reply');
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.body.text)).toContain('1 lead handed off');
    expect(JSON.stringify(reply.body.blocks)).toContain('No campaign');
    expect(digestPosts()).toHaveLength(0);
  });

  it.runIf(kind === 'postgres')('posts once when two replicas run the same tick together', async () => {
    await seedDigestWorld(t.app.tandem.deps.db);
    const other = await startTestApp(t.slack, t.database);
    try {
      const jobs = [weeklyDigestJob(t.app.tandem.deps), weeklyDigestJob(other.tandem.deps)];
      await Promise.all(jobs.map((job) => job.run(TO)));
      await t.slack.waitFor(() => digestPosts().length > 0, 5_000, 'the digest');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(digestPosts()).toHaveLength(1);
      const claims = await t.app.tandem.deps.db.selectFrom('job_runs').selectAll().execute();
      expect(claims).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });
});
