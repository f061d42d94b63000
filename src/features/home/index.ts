import type { App } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { homeOpened } from './listeners.js';

/** The App Home tab. */
export function registerHome(app: App, deps: Deps): FeatureParts {
  app.event('app_home_opened', homeOpened(deps));
  return {};
}
