import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { Route } from '../../http/server.js';

/** Lead-handoff webhook, the handoff card and its Accept / Reject / Rate buttons. */
export function registerHandoffs(_app: App, _deps: Deps): Route[] {
  return [];
}
