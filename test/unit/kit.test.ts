import { describe, expect, it } from 'vitest';
import {
  averageRating,
  button,
  calendarDay,
  dayRange,
  escapedWithin,
  escapeMrkdwn,
  header,
  LINK_URL_MAX,
  link,
  mention,
  percent,
  personLabel,
  plural,
  quote,
  section,
  slackDate,
  stars,
  truncate,
} from '../../src/slack/kit/index.js';

describe('mrkdwn helpers', () => {
  it('escapes the three characters Slack treats as control', () => {
    expect(escapeMrkdwn('<!channel> & <@U1|x>')).toBe('&lt;!channel&gt; &amp; &lt;@U1|x&gt;');
  });

  it('mentions only real user ids', () => {
    expect(mention('U0123ABC')).toBe('<@U0123ABC>');
    expect(mention('!channel')).toBe('!channel');
    expect(mention('<!here>')).toBe('&lt;!here&gt;');
  });

  it('falls back from mention to email to a default', () => {
    expect(personLabel({ slackUserId: 'U1234', email: 'a@b.c' })).toBe('<@U1234>');
    expect(personLabel({ email: 'a<b>@c.d' })).toBe('a&lt;b&gt;@c.d');
    expect(personLabel({}, 'nobody')).toBe('nobody');
  });

  it('links only http(s) URLs and keeps labels from closing the link', () => {
    expect(link('https://crm.example.com/l/1?a=1&b=2', 'Jane | Co')).toBe(
      '<https://crm.example.com/l/1?a=1&amp;b=2|Jane ¦ Co>',
    );
    expect(link('javascript:alert(1)', 'x')).toBe('x');
    expect(link('https://x.example/>|<!channel>', 'y')).toBe('y');
    expect(link(null, '<b>')).toBe('&lt;b&gt;');
  });

  it('shows a link whose URL would crowd Slack limits as its label', () => {
    const long = `https://crm.example.com/${'x'.repeat(LINK_URL_MAX)}`;
    expect(link(long, 'Jane')).toBe('Jane');
    expect(link(long.slice(0, LINK_URL_MAX), 'Jane')).toMatch(/^<https:.*\|Jane>$/);
  });

  it('truncates with an ellipsis within the limit', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('a'.repeat(5000), 3000)).toHaveLength(3000);
  });

  it('quotes every line and shows ratings as stars', () => {
    expect(quote('one\n<two>')).toBe('>one\n>&lt;two&gt;');
    expect(stars(3)).toBe('★★★☆☆');
  });
});

describe('dayRange', () => {
  it('reads like a person would write it, in UTC', () => {
    expect(dayRange(new Date('2026-11-23T09:00:00Z'), new Date('2026-12-15T17:00:00Z'))).toBe('Nov 23 – Dec 15, 2026');
    expect(dayRange(new Date('2026-12-20T00:00:00Z'), new Date('2027-01-05T00:00:00Z'))).toBe(
      'Dec 20, 2026 – Jan 5, 2027',
    );
    expect(dayRange(new Date('2026-11-23T01:00:00Z'), new Date('2026-11-23T23:00:00Z'))).toBe('Nov 23, 2026');
    // 23:30 at UTC-5 is the next day in UTC.
    expect(dayRange(new Date('2026-11-23T23:30:00-05:00'), null)).toBe('From Nov 24, 2026');
    expect(dayRange(null, new Date('2026-12-15T00:00:00Z'))).toBe('Until Dec 15, 2026');
    expect(dayRange(null, null)).toBeNull();
  });
});

describe('escapedWithin', () => {
  it('stays within the limit after escaping without cutting an entity in half', () => {
    const out = escapedWithin('&'.repeat(3000), 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).toMatch(/^(&amp;)+…$/);
    expect(escapedWithin('a < b', 100)).toBe('a &lt; b');
  });
});

describe('formats', () => {
  it('renders Slack dates in the reader’s zone, with the UTC day as fallback', () => {
    const date = new Date('2026-11-23T09:30:00Z');
    expect(slackDate(date)).toBe('<!date^1795426200^{date_short_pretty}|2026-11-23>');
    expect(slackDate(date, { withTime: true })).toBe('<!date^1795426200^{date_short_pretty} at {time}|2026-11-23>');
  });

  it('reads calendar days and ranges in a given time zone', () => {
    const lateSunday = new Date('2026-11-22T23:30:00Z');
    expect(calendarDay(lateSunday)).toBe('Nov 22, 2026');
    expect(calendarDay(lateSunday, 'Europe/Berlin')).toBe('Nov 23, 2026');
    expect(dayRange(new Date('2026-12-28T08:00:00Z'), new Date('2027-01-04T07:59:59Z'), 'Europe/Berlin')).toBe(
      'Dec 28, 2026 – Jan 4, 2027',
    );
  });

  it('counts in words and shows missing figures with one dash', () => {
    expect(plural(1, 'lead')).toBe('1 lead');
    expect(plural(0, 'lead')).toBe('0 leads');
    expect(plural(2, 'more campaign')).toBe('2 more campaigns');
    expect(plural(3, 'reply', 'replies')).toBe('3 replies');
    expect(percent(0.3333)).toBe('33%');
    expect(percent(null)).toBe('—');
    expect(averageRating(3.66)).toBe('3.7');
    expect(averageRating(null)).toBe('—');
  });
});

describe('Block Kit builders', () => {
  it('keep section and header text within Slack limits', () => {
    const s = section('x'.repeat(5000)) as { text: { text: string } };
    expect(s.text.text).toHaveLength(3000);
    expect(header('h'.repeat(500)).text.text).toHaveLength(150);
  });

  it('make buttons with a style only when asked', () => {
    expect(button('Accept', 'a', 'v', 'primary')).toEqual({
      type: 'button',
      text: { type: 'plain_text', text: 'Accept', emoji: true },
      action_id: 'a',
      value: 'v',
      style: 'primary',
    });
    expect(button('Rate', 'r', 'v')).not.toHaveProperty('style');
  });
});
