import { describe, expect, it } from 'vitest';
import { type OverdueHandoff, slaEscalation, slaReminder } from '../../src/features/handoffs/blocks.js';
import { waitedFor } from '../../src/slack/kit/index.js';

const overdue = (overrides: Partial<OverdueHandoff> = {}): OverdueHandoff => ({
  owner_slack_user_id: 'UOWNER001',
  owner_email: 'owen@acme.example',
  lead_name: 'Dana <!here> Whitfield',
  lead_company: 'North & wind',
  campaign_name: 'Q4 <Webinar>',
  waited_seconds: 26 * 3600 + 59,
  ...overrides,
});

describe('SLA messages', () => {
  it('says how long in minutes, hours or days', () => {
    expect(waitedFor(45 * 60)).toBe('45 minutes');
    expect(waitedFor(60)).toBe('1 minute');
    expect(waitedFor(26 * 3600 + 3599)).toBe('26 hours');
    expect(waitedFor(80 * 3600)).toBe('3 days');
  });

  it('reminds the owner by mention in the card thread, else by email', () => {
    expect(slaReminder(overdue(), true).text).toBe(
      ':alarm_clock: <@UOWNER001> this lead has waited 26 hours: please accept or reject it.',
    );
    const byEmail = slaReminder(overdue({ owner_slack_user_id: null }), false).text;
    expect(byEmail).toContain('owen@acme.example *Dana &lt;!here&gt; Whitfield* at North &amp; wind');
  });

  it('escalates naming the lead, owner and wait, mentioning the manager only when set, all escaped', () => {
    const text = slaEscalation(overdue({ waited_seconds: 50 * 3600 }), 'UMANAGER1').text;
    expect(text).toMatch(/^:rotating_light: <@UMANAGER1> \*Dana &lt;!here&gt; Whitfield\* at North &amp; wind/);
    expect(text).toContain('(Q4 &lt;Webinar&gt;)');
    expect(text).toContain('waited 50 hours for <@UOWNER001>');
    expect(text).not.toMatch(/<!here>|<Webinar>/);
    expect(slaEscalation(overdue(), undefined).text).not.toContain('UMANAGER1');
  });
});
