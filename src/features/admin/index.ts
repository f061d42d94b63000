import type { App } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { tandemCommand } from './listeners.js';

/** `/tandem`: administration (mapping CRM owners to Slack people) and help. */
export function registerAdmin(app: App, deps: Deps): FeatureParts {
  app.command('/tandem', tandemCommand(deps));
  return {};
}
