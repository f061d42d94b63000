import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../support/app-lifecycle.js';
import { slashCommand } from '../../support/commands.js';
import { DATABASE_KINDS } from '../../support/databases.js';

const ADMIN = 'UADMIN001';
const [ANA, BEN, CAL] = ['UANA00001', 'UBEN00001', 'UCAL00001'];
const esc = (id: string, name: string) => `<@${id}|${name}>`;

describe.each(DATABASE_KINDS)('pools and who is away on %s', (kind) => {
  const t = useTestApp(kind, { env: { TANDEM_ADMINS: ADMIN } });

  /** Runs `/tandem <text>` as `userId` and returns the private answer. */
  const tandem = (text: string, userId: string) => slashCommand(t, '/tandem', text, userId);
  const members = () =>
    t.app.tandem.deps.db
      .selectFrom('pool_members')
      .select(['pool', 'slack_user_id'])
      .orderBy('pool')
      .orderBy('slack_user_id')
      .execute();

  it('an admin builds pools from escaped mentions and bare ids; a rep may be in several', async () => {
    const added = await tandem(`pool add SDR ${esc(ANA, 'ana')} ${esc(BEN, 'ben')} ${CAL}`, ADMIN);
    expect(added).toContain(`<@${ANA}>`);
    expect(added).toContain('*sdr*');
    expect(await tandem(`pool add enterprise ${esc(ANA, 'ana')}`, ADMIN)).toContain('added to *enterprise*');
    expect(await tandem(`pool add sdr ${esc(ANA, 'ana')}`, ADMIN)).toContain('already in it');
    expect(await members()).toHaveLength(4);

    const removed = await tandem(`pool remove sdr ${esc(CAL, 'cal')}`, ADMIN);
    expect(removed).toContain(`<@${CAL}> removed from *sdr*`);
    expect((await members()).map((m) => `${m.pool}:${m.slack_user_id}`)).toEqual([
      `enterprise:${ANA}`,
      `sdr:${ANA}`,
      `sdr:${BEN}`,
    ]);
  });

  it('refuses non-admins, and explains bad input without changing anything', async () => {
    const refusal = await tandem(`pool add sdr ${esc(ANA, 'ana')}`, BEN);
    expect(refusal).toContain('Only Tandem admins');
    expect(refusal).toContain('Nothing was changed');
    expect(await tandem(`pool remove sdr ${esc(ANA, 'ana')}`, BEN)).toContain('Only Tandem admins');
    expect(await tandem('route default <#C0OTHER01|other>', BEN)).toContain('Only Tandem admins');
    for (const bad of ['pool add sdr', 'pool add sdr @ana', 'pool add <@UANA00001|ana>', `pool add s/d ${ANA}`]) {
      expect(await tandem(bad, ADMIN), bad).toContain('Usage: `/tandem pool add');
    }
    expect(await tandem('pool remove', ADMIN)).toContain('Usage: `/tandem pool remove');
    expect(await members()).toHaveLength(0);
    // A workspace admin needs no TANDEM_ADMINS entry.
    t.slack.roles.set(CAL, 'admin');
    expect(await tandem(`pool add sdr ${esc(ANA, 'ana')}`, CAL)).toContain('added to *sdr*');
  });

  it('help lists every subcommand', async () => {
    const help = await tandem('help', BEN);
    for (const usage of [
      'pool add',
      'pool remove',
      'pool list',
      'away',
      'back',
      'route campaign',
      'route default',
      'route list',
      'map',
      'unmapped',
    ]) {
      expect(help).toContain(`/tandem ${usage}`);
    }
  });

  it('away by command and by Slack status: the list says who is away and who is next', async () => {
    await tandem(`pool add sdr ${esc(ANA, 'ana')} ${esc(BEN, 'ben')} ${esc(CAL, 'cal')}`, ADMIN);
    expect(await tandem('away until 2099-01-31', ANA)).toContain('You are away until 2099-01-31');
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    t.slack.profiles.set(BEN, { name: 'ben', realName: 'Ben', status: { emoji: ':palm_tree:', expiration: inAnHour } });
    let list = await tandem('pool list', CAL);
    expect(list).toContain(`<@${ANA}> (away until 2099-01-31)`);
    expect(list).toContain(`<@${BEN}> (away (Slack status :palm_tree:))`);
    expect(list).toContain(`next: <@${CAL}>`);

    // An expired status, or one that says nothing about being out, is not away; back is back.
    t.slack.profiles.set(CAL, { name: 'cal', realName: 'Cal', status: { emoji: ':airplane:', expiration: 1_000 } });
    expect(await tandem('back', ANA)).toContain('You are back');
    list = await tandem('pool list', BEN);
    expect(list).toContain(`next: <@${ANA}>`);
    expect(list).not.toContain(`<@${CAL}> (away`);
    expect(await tandem('back', ANA)).toContain('not marked away');
  });

  it('only admins mark someone else away; a bad day is refused', async () => {
    expect(await tandem(`away ${esc(ANA, 'ana')}`, BEN)).toContain('Only Tandem admins');
    expect(await tandem('away until 2026-02-30', BEN)).toContain('Usage: `/tandem away');
    expect(await tandem('away tomorrow', BEN)).toContain('Usage: `/tandem away');
    const rows = () => t.app.tandem.deps.db.selectFrom('away').selectAll().execute();
    expect(await rows()).toHaveLength(0);
    expect(await tandem(`away ${esc(ANA, 'ana')} until 2099-12-01`, ADMIN)).toContain(
      `<@${ANA}> is away until 2099-12-01`,
    );
    expect(await rows()).toMatchObject([{ slack_user_id: ANA, until_day: '2099-12-01', set_by: ADMIN }]);
    expect(await tandem(`back ${esc(ANA, 'ana')}`, ADMIN)).toContain(`<@${ANA}> is back`);
    expect(await rows()).toHaveLength(0);
  });
});
