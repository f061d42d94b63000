/**
 * An error whose message is written for the person in Slack ("That lead no longer exists"), shown to them
 * as it is. Anything else is logged in full and shown as a generic apology.
 */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserFacingError';
  }
}
