import type { App } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { FEEDBACK_VIEW, LEAD_SELECT } from './ids.js';
import { openFeedbackModal, submitFeedback, suggestLeads } from './listeners.js';

/** /leadfeedback: the command, its lead picker and the submitted modal. */
export function registerFeedback(app: App, deps: Deps): FeatureParts {
  app.command('/leadfeedback', openFeedbackModal(deps));
  app.options({ action_id: LEAD_SELECT }, suggestLeads(deps));
  app.view(FEEDBACK_VIEW, submitFeedback(deps));
  return {};
}
