import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';
import { slackErrorCode } from './client.js';

export interface BotIds {
  botId?: string;
  botUserId?: string;
  teamId?: string;
}

/**
 * Who the bot is, learned from `auth.test` in the background with retries.
 *
 * Bolt would call `auth.test` once in its constructor and cache the result, failures included: with Slack slow
 * or unreachable at boot the app then crashes or silently drops every request. Here the app answers requests
 * from the first second (commands and actions need only the token) and fills the ids in once Slack answers.
 */
export class BotIdentity {
  private ids: BotIds = {};
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
  ) {}

  get current(): BotIds {
    return this.ids;
  }

  /** Starts learning; never rejects. */
  start(attempt = 0): void {
    if (this.stopped) return;
    this.client.auth
      .test()
      .then((result) => {
        this.ids = { botId: result.bot_id, botUserId: result.user_id, teamId: result.team_id };
        this.logger.info({ team: result.team, botUserId: result.user_id }, 'connected to Slack');
      })
      .catch((err) => {
        const code = slackErrorCode(err);
        const delay = Math.min(60_000, 1_000 * 2 ** Math.min(attempt, 6));
        const tokenProblem = ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked'].includes(code);
        this.logger[tokenProblem ? 'error' : 'warn'](
          { err: code, retryInMs: delay },
          tokenProblem ? 'Slack rejected SLACK_BOT_TOKEN; check it' : 'Slack did not answer auth.test; retrying',
        );
        if (!this.stopped) this.timer = setTimeout(() => this.start(attempt + 1), delay);
      });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
