import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { Route } from '../../http/server.js';
import type { Job } from '../../scheduler.js';

/** The weekly digest: scheduled post, /digest, and GET /api/digest. */
export function registerDigest(_app: App, _deps: Deps): { routes: Route[]; jobs: Job[] } {
  return { routes: [], jobs: [] };
}
