import type { App } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { retentionJob } from './job.js';

/** Retention: delivered posts and processed CRM events lose their personal data after RETENTION_DAYS. */
export function registerRetention(_app: App, deps: Deps): FeatureParts {
  return { jobs: [retentionJob(deps)] };
}
