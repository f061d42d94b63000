import type { App } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { weeklyDigestJob } from './job.js';
import { showDigest } from './listeners.js';
import { digestApiRoutes } from './routes.js';

/** The weekly digest: scheduled post with its chart, /digest, GET /api/digest and its chart. */
export function registerDigest(app: App, deps: Deps): FeatureParts {
  app.command('/digest', showDigest(deps));
  return { routes: digestApiRoutes(deps), jobs: [weeklyDigestJob(deps)] };
}
