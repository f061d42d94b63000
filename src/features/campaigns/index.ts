import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { Route } from '../../http/server.js';

/** Campaign webhook and the /campaign modal. */
export function registerCampaigns(_app: App, _deps: Deps): Route[] {
  return [];
}
