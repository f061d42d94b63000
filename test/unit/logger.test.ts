import { describe, expect, it } from 'vitest';
import { boltLogger, createLogger } from '../../src/logger.js';

const BOT_TOKEN = 'xoxb-1111-2222-botsecretvalue';
const APP_TOKEN = 'xapp-1-A0001-3333-appsecretvalue';
const USER_TOKEN = 'xoxp-4444-5555-usersecretvalue';
const SIGNING_SECRET = 'signing-secret-8f3a-do-not-log';
const SIGNATURE = 'v0=a1b2c3d4e5f6signaturevalue';
const BEARER = 'Bearer webhook-secret-0123456789';
const SECRETS = [BOT_TOKEN, APP_TOKEN, USER_TOKEN, SIGNING_SECRET, SIGNATURE, BEARER];

/** A logger as the app creates it, writing its real JSON lines to an array instead of stdout. */
function capture(level = 'debug') {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (line: string) => raw.push(line) });
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, raw, lines };
}

function expectNoSecretIn(raw: string[]) {
  const output = raw.join('\n');
  for (const secret of SECRETS) expect(output, secret).not.toContain(secret);
}

describe('logger redaction', () => {
  it('blanks tokens and secrets at the top level of a log object', () => {
    const { logger, raw, lines } = capture();
    logger.info(
      {
        token: BOT_TOKEN,
        botToken: BOT_TOKEN,
        appToken: APP_TOKEN,
        signingSecret: SIGNING_SECRET,
        authorization: BEARER,
      },
      'top level',
    );
    expect(lines()[0]).toMatchObject({
      token: '[redacted]',
      botToken: '[redacted]',
      appToken: '[redacted]',
      signingSecret: '[redacted]',
      authorization: '[redacted]',
    });
    expectNoSecretIn(raw);
  });

  it('blanks them one level down, as in an error object or a request', () => {
    const { logger, raw, lines } = capture();
    logger.error(
      {
        err: { message: 'invalid_auth', token: USER_TOKEN },
        slack: { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: SIGNING_SECRET },
        request: { authorization: BEARER },
        req: { headers: { authorization: BEARER, 'x-slack-signature': SIGNATURE, 'content-type': 'application/json' } },
      },
      'nested',
    );
    expect(lines()[0]).toMatchObject({
      err: { message: 'invalid_auth', token: '[redacted]' },
      slack: { botToken: '[redacted]', appToken: '[redacted]', signingSecret: '[redacted]' },
      request: { authorization: '[redacted]' },
      req: { headers: { authorization: '[redacted]', 'x-slack-signature': '[redacted]' } },
    });
    expectNoSecretIn(raw);
  });

  it('blanks the whole Slack part of a logged config, and nothing else of it', () => {
    const { logger, raw, lines } = capture();
    logger.info({ config: { port: 3000, slack: { botToken: BOT_TOKEN, socketMode: false } } }, 'config');
    expect(lines()[0]).toMatchObject({ config: { port: 3000, slack: '[redacted]' } });
    expectNoSecretIn(raw);
  });

  it('scrubs Slack tokens from free text: messages, format arguments and Bolt’s lines', () => {
    const { logger, raw, lines } = capture();
    logger.warn(`call failed with ${BOT_TOKEN} and ${APP_TOKEN}`);
    logger.warn({ method: 'chat.postMessage' }, 'retrying with %s', USER_TOKEN);
    boltLogger(logger).error(`An API error occurred: token ${BOT_TOKEN} revoked`);
    const messages = lines().map((line) => line.msg);
    expect(messages).toEqual([
      'call failed with xoxb-[redacted] and xapp-[redacted]',
      'retrying with xoxp-[redacted]',
      'An API error occurred: token xoxb-[redacted] revoked',
    ]);
    expect(lines()[1]).toMatchObject({ method: 'chat.postMessage' });
    expectNoSecretIn(raw);
  });

  it('leaves ordinary fields and messages as they are', () => {
    const { logger, lines } = capture();
    const fields = {
      userId: 'U0OWNER01',
      channel: 'C0SALES01',
      count: 3,
      ok: true,
      lead: { id: 'L-1001', name: 'Dana Whitfield', email: 'dana@northwind.example' },
      headers: { 'content-type': 'application/json' },
      tokenCount: 2,
    };
    logger.info(fields, 'handoff card posted for L-1001');
    const [line] = lines();
    expect(line).toMatchObject({ ...fields, level: 'info', service: 'tandem', msg: 'handoff card posted for L-1001' });
    expect(line?.time).toEqual(expect.any(String));
  });
});
