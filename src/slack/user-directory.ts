import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';
import { slackErrorCode } from './client.js';

const FOUND_TTL_MS = 60 * 60_000;
const NOT_FOUND_TTL_MS = 10 * 60_000;

/** Someone named by a CRM: a Slack id, an email, or both. */
export interface Person {
  email?: string | undefined;
  slack_user_id?: string | undefined;
}

/**
 * Finds Slack users by email (users.lookupByEmail, Tier 3) and remembers the answers, so a burst of handoffs
 * for one rep costs one call. When Slack cannot answer in time the email is used as text instead of a mention:
 * accepting an event never waits on Slack.
 */
export class UserDirectory {
  private readonly cache = new Map<string, { id: string | null; expires: number }>();

  constructor(
    private readonly slack: WebClient,
    private readonly logger: Logger,
    private readonly timeoutMs = 1_500,
  ) {}

  /** The Slack user id for a person: theirs if given, else looked up by email, else null. */
  async resolve(person: Person | undefined): Promise<string | null> {
    if (!person) return null;
    if (person.slack_user_id) return person.slack_user_id;
    return person.email ? this.idForEmail(person.email) : null;
  }

  async idForEmail(email: string): Promise<string | null> {
    const found = await this.lookup(email);
    return 'id' in found ? found.id : null;
  }

  /**
   * The Slack user with this email, told apart from "Slack has no such user" and "Slack could not answer now"
   * (error, rate limit, timeout): deciding who owns a lead must not treat a failed lookup as "nobody".
   */
  async lookup(email: string): Promise<EmailLookup> {
    const key = email.trim().toLowerCase();
    const cached = this.cache.get(key);
    if (cached && cached.expires > Date.now()) return cached.id ? { id: cached.id } : { notFound: true };
    try {
      const result = await Promise.race([
        this.slack.users.lookupByEmail({ email: key }),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('lookup timed out')), this.timeoutMs).unref(),
        ),
      ]);
      const id = result.user?.id ?? null;
      this.cache.set(key, { id, expires: Date.now() + FOUND_TTL_MS });
      return id ? { id } : { notFound: true };
    } catch (err) {
      const code = slackErrorCode(err);
      if (code === 'users_not_found') {
        this.cache.set(key, { id: null, expires: Date.now() + NOT_FOUND_TTL_MS });
        return { notFound: true };
      }
      this.logger.warn({ err: code }, 'could not look up a Slack user by email');
      return { failed: code };
    }
  }
}

/** A lookup by email: the user, a definite "no such user", or a failure to ask again later. */
export type EmailLookup = { id: string } | { notFound: true } | { failed: string };
