import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';
import { slackErrorCode } from './client.js';

/** Group members are read again after this long: someone added to or removed from a group waits at most a minute. */
const MEMBERS_TTL_MS = 60_000;

/**
 * Who may do what: a list of Slack user ids (U…, W…) and user-group ids (S…) from the configuration, or no list
 * (anyone in the workspace). Group membership is read with usergroups.users.list (scope `usergroups:read`) and
 * cached briefly, so a burst of commands costs one call per group.
 */
export class AccessList {
  private readonly members = new Map<string, { users: ReadonlySet<string>; expires: number }>();

  constructor(
    private readonly slack: WebClient,
    private readonly logger: Logger,
    private readonly timeoutMs = 1_500,
  ) {}

  /** Whether `userId` is on `allowed` (itself or through a group). A group Slack cannot list admits nobody. */
  async allows(allowed: readonly string[] | undefined, userId: string): Promise<boolean> {
    if (!allowed) return true;
    if (allowed.includes(userId)) return true;
    for (const group of allowed.filter((id) => id.startsWith('S'))) {
      if ((await this.groupMembers(group)).has(userId)) return true;
    }
    return false;
  }

  private async groupMembers(group: string): Promise<ReadonlySet<string>> {
    const cached = this.members.get(group);
    if (cached && cached.expires > Date.now()) return cached.users;
    try {
      const result = await Promise.race([
        this.slack.usergroups.users.list({ usergroup: group }),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('usergroups.users.list timed out')), this.timeoutMs).unref(),
        ),
      ]);
      const users = new Set(result.users ?? []);
      this.members.set(group, { users, expires: Date.now() + MEMBERS_TTL_MS });
      return users;
    } catch (err) {
      // Fail closed, uncached: the next attempt asks Slack again.
      this.logger.warn({ err: slackErrorCode(err), group }, 'could not list a user group’s members');
      return new Set();
    }
  }
}
