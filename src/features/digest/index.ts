import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { Route } from '../../http/server.js';
import type { Job } from '../../scheduler.js';
import { digestApiRoute } from './api.js';
import { weeklyDigestJob } from './job.js';
import { showDigest } from './listeners.js';

/** The weekly digest: scheduled post, /digest, and GET /api/digest. */
export function registerDigest(app: App, deps: Deps): { routes: Route[]; jobs: Job[] } {
  app.command('/digest', showDigest(deps));
  return { routes: [digestApiRoute(deps)], jobs: [weeklyDigestJob(deps)] };
}
