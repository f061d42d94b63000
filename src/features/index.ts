import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { Route } from '../http/server.js';
import type { Job } from '../scheduler.js';
import { registerCampaigns } from './campaigns/index.js';
import { registerDeals } from './deals/index.js';
import { registerDigest } from './digest/index.js';
import { registerFeedback } from './feedback/index.js';
import { registerHandoffs } from './handoffs/index.js';
import { registerHome } from './home/index.js';

/** The one wiring list: every feature's Slack listeners, HTTP routes and scheduled jobs. */
export function registerFeatures(app: App, deps: Deps): { routes: Route[]; jobs: Job[] } {
  registerFeedback(app, deps);
  registerHome(app, deps);
  const handoffs = registerHandoffs(app, deps);
  const digest = registerDigest(app, deps);
  return {
    routes: [...handoffs.routes, ...registerCampaigns(app, deps), ...registerDeals(app, deps), ...digest.routes],
    jobs: [...digest.jobs, ...handoffs.jobs],
  };
}
