import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, link, mention, personLabel, quote, stars, truncate } from '../../src/slack/kit/index.js';

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
