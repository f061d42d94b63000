import { describe, expect, it } from 'vitest';
import { trustedResponseUrl } from '../../src/slack/respond.js';

describe('a response_url read back from private_metadata', () => {
  const warnings: unknown[] = [];
  const log = { warn: (...args: unknown[]) => warnings.push(args) };
  const slack = { apiUrl: 'https://slack.com/api/', log };

  it('is used when Slack gave it', () => {
    const url = 'https://hooks.slack.com/commands/T0001/1/abc';
    expect(trustedResponseUrl(url, slack)).toBe(url);
    expect(trustedResponseUrl(undefined, slack)).toBeUndefined();
  });

  it('is ignored, and logged, anywhere else', () => {
    warnings.length = 0;
    for (const url of [
      'https://hooks.slack.com.evil.example/x',
      'http://hooks.slack.com/commands/x',
      'https://slack.com/api/chat.postMessage',
      'https://evil.example/?https://hooks.slack.com/',
    ]) {
      expect(trustedResponseUrl(url, slack), url).toBeUndefined();
    }
    expect(warnings).toHaveLength(4);
  });

  it('may come from SLACK_API_URL’s origin when that is a test server or proxy', () => {
    const test = { apiUrl: 'http://127.0.0.1:9000/api/', log };
    expect(trustedResponseUrl('http://127.0.0.1:9000/response/r1', test)).toBe('http://127.0.0.1:9000/response/r1');
    expect(trustedResponseUrl('http://127.0.0.1:9001/response/r1', test)).toBeUndefined();
  });
});
