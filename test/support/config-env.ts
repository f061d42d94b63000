import { ConfigError, loadConfig } from '../../src/config.js';

/** The smallest environment Tandem starts with in HTTP mode: the config tests add to it. */
export const validEnv = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'secret',
  SALES_CHANNEL: 'C0SALES01',
  MARKETING_CHANNEL: 'C0MKTG001',
  WINS_CHANNEL: 'C0WINS001',
  DIGEST_CHANNEL: 'C0DIGEST1',
};

/** Every problem the config reports for `env` (none when it loads). */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
