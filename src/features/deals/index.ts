import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { Route } from '../../http/server.js';

/** Deal-closed webhook: stores deals and celebrates wins. */
export function registerDeals(_app: App, _deps: Deps): Route[] {
  return [];
}
