import type { App } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { weeklyDigestJob } from './job.js';
import { digestApiRoute, digestChartRoute, showDigest } from './listeners.js';

/** The weekly digest: scheduled post with its chart, /digest, GET /api/digest and its chart. */
export function registerDigest(app: App, deps: Deps): FeatureParts {
  app.command('/digest', showDigest(deps));
  return { routes: [digestApiRoute(deps), digestChartRoute(deps)], jobs: [weeklyDigestJob(deps)] };
}
