import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { Route } from '../http/server.js';
import { registerCampaigns } from './campaigns/index.js';
import { registerDeals } from './deals/index.js';
import { registerFeedback } from './feedback/index.js';
import { registerHandoffs } from './handoffs/index.js';

/** The one wiring list: every feature's Slack listeners and HTTP routes. */
export function registerFeatures(app: App, deps: Deps): Route[] {
  registerFeedback(app, deps);
  return [...registerHandoffs(app, deps), ...registerCampaigns(app, deps), ...registerDeals(app, deps)];
}
