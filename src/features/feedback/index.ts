import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { FEEDBACK_VIEW, LEAD_SELECT } from './ids.js';
import { openFeedbackModal, submitFeedback, suggestLeads } from './listeners.js';

export function registerFeedback(app: App, deps: Deps): void {
  app.command('/leadfeedback', openFeedbackModal(deps));
  app.options({ action_id: LEAD_SELECT }, suggestLeads(deps));
  app.view(FEEDBACK_VIEW, submitFeedback(deps));
}
