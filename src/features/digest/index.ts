import type { App } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { weeklyDigestJob } from './job.js';
import { digestApiRoute, showDigest } from './listeners.js';

/** The weekly digest: scheduled post, /digest, and GET /api/digest. */
export function registerDigest(app: App, deps: Deps): FeatureParts {
  app.command('/digest', showDigest(deps));
  return { routes: [digestApiRoute(deps)], jobs: [weeklyDigestJob(deps)] };
}
