import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { Route } from '../http/server.js';
import { registerFeedback } from './feedback/index.js';

/** The one wiring list: every feature's Slack listeners and HTTP routes. */
export function registerFeatures(app: App, deps: Deps): Route[] {
  registerFeedback(app, deps);
  return [];
}
