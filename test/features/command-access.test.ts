import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { SIGNING_SECRET } from '../support/harness.js';
import { sendCommand } from '../support/slack-requests.js';

/** Marketer UMKT0001 is listed by name; the marketing group S0MKTG001 has UMKT0002; the exec group S0EXEC001 has UCEO0001. */
const ENV = { CAMPAIGN_POSTERS: 'UMKT0001,S0MKTG001', DIGEST_VIEWERS: 'S0EXEC001' };

describe.each(DATABASE_KINDS)('who may run /campaign and /digest on %s', (kind) => {
  const t = useTestApp(kind, {
    env: ENV,
    async seed({ slack }) {
      slack.userGroups.set('S0MKTG001', ['UMKT0002']);
      slack.userGroups.set('S0EXEC001', ['UCEO0001']);
    },
  });

  /** Runs a command as `user` and returns its private answer, if it got one, and whether a modal was opened. */
  const run = async (command: '/campaign' | '/digest', user: string) => {
    const id = `${command.slice(1)}-${user}-${Math.random().toString(36).slice(2, 6)}`;
    const triggerId = `trigger-${id}`;
    const res = await sendCommand(t.app.url, SIGNING_SECRET, {
      command,
      user_id: user,
      trigger_id: triggerId,
      response_url: t.slack.responseUrl(id),
    });
    expect(res.status).toBe(200);
    const answered = () =>
      t.slack.responses.find((r) => r.id === id) ??
      t.slack.callsOf('views.open').find((c) => c.args.trigger_id === triggerId);
    await t.slack.waitFor(answered, 5_000, `${command} answered`);
    return {
      reply: t.slack.responses.find((r) => r.id === id)?.body,
      opened: t.slack.callsOf('views.open').some((c) => c.args.trigger_id === triggerId),
    };
  };

  it('lets listed marketers and members of a listed group announce campaigns, and tells anyone else whom to ask', async () => {
    expect((await run('/campaign', 'UMKT0001')).opened).toBe(true);
    expect((await run('/campaign', 'UMKT0002')).opened).toBe(true);

    const refused = await run('/campaign', 'UREP0001');
    expect(refused.opened).toBe(false);
    expect(refused.reply).toMatchObject({ response_type: 'ephemeral' });
    expect(String(refused.reply?.text)).toContain('only <@UMKT0001> or <!subteam^S0MKTG001> may use it');
    expect(String(refused.reply?.text)).toContain('CAMPAIGN_POSTERS');
    // A second look at the same group within a minute is answered from the cache.
    expect(t.slack.callsOf('usergroups.users.list').filter((c) => c.args.usergroup === 'S0MKTG001')).toHaveLength(1);
  });

  it('shows the digest to the listed group only', async () => {
    const shown = await run('/digest', 'UCEO0001');
    expect(String(shown.reply?.text)).toContain('lead');
    expect(shown.reply?.blocks).toBeDefined();

    const refused = await run('/digest', 'UMKT0001');
    expect(refused.reply).toMatchObject({ response_type: 'ephemeral' });
    expect(refused.reply?.blocks).toBeUndefined();
    expect(String(refused.reply?.text)).toContain('only <!subteam^S0EXEC001> may use it');
    expect(String(refused.reply?.text)).toContain('DIGEST_VIEWERS');
  });

  it('refuses everyone but those listed by name while Slack cannot list a group', async () => {
    t.slack.userGroups.delete('S0MKTG001');
    expect((await run('/campaign', 'UMKT0002')).opened).toBe(false);
    expect((await run('/campaign', 'UMKT0001')).opened).toBe(true);
    expect(t.app.rawLogs.join('\n')).toContain('could not list a user group');
  });
});
