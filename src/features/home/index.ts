import type { App, BlockButtonAction } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { HOME_PAGE_ACTION } from './ids.js';
import { homeOpened, pendingPage } from './listeners.js';

/** The App Home tab. */
export function registerHome(app: App, deps: Deps): FeatureParts {
  app.event('app_home_opened', homeOpened(deps));
  app.action<BlockButtonAction>(HOME_PAGE_ACTION, pendingPage(deps));
  return {};
}
