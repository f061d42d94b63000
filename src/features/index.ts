import type { App } from '@slack/bolt';
import type { Deps, FeatureParts } from '../deps.js';
import type { Route } from '../http/server.js';
import type { Job } from '../scheduler.js';
import { registerAdmin } from './admin/index.js';
import { registerCampaigns } from './campaigns/index.js';
import { registerDeals } from './deals/index.js';
import { registerDigest } from './digest/index.js';
import { registerFeedback } from './feedback/index.js';
import { registerHandoffs } from './handoffs/index.js';
import { registerHome } from './home/index.js';
import { registerRetention } from './retention/index.js';

/** The one wiring list: every feature registers its Slack listeners and returns its HTTP routes and jobs. */
const FEATURES: Array<(app: App, deps: Deps) => FeatureParts> = [
  registerFeedback,
  registerHandoffs,
  registerCampaigns,
  registerDeals,
  registerDigest,
  registerHome,
  registerAdmin,
  registerRetention,
];

export function registerFeatures(app: App, deps: Deps): { routes: Route[]; jobs: Job[] } {
  const parts = FEATURES.map((register) => register(app, deps));
  return { routes: parts.flatMap((p) => p.routes ?? []), jobs: parts.flatMap((p) => p.jobs ?? []) };
}
