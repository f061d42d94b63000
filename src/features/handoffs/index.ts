import type { App, BlockButtonAction } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { webhookRoute } from '../../http/webhook.js';
import { ACCEPT_ACTION, RATE_ACTION, REJECT_ACTION, REJECT_VIEW } from './ids.js';
import { handoffJobs } from './job.js';
import { accept, openRate, openReject, submitReject } from './listeners.js';
import { cardPosting, recordHandoff } from './record.js';
import { leadHandoffEvent } from './schema.js';

/** Lead-handoff webhook, the handoff card and its Accept / Reject / Rate buttons, and the SLA check. */
export function registerHandoffs(app: App, deps: Deps): FeatureParts {
  app.action<BlockButtonAction>(ACCEPT_ACTION, accept(deps));
  app.action<BlockButtonAction>(REJECT_ACTION, openReject(deps));
  app.action<BlockButtonAction>(RATE_ACTION, openRate(deps));
  app.view(REJECT_VIEW, submitReject(deps));
  const route = webhookRoute(deps, {
    path: '/webhooks/lead-handoff',
    kind: 'lead-handoff',
    schema: leadHandoffEvent,
    owner: (event) => event.owner,
    apply: async (trx, event, ownerId) => {
      await recordHandoff(trx, event, ownerId, cardPosting(deps.config));
      return undefined;
    },
  });
  return { routes: [route], jobs: handoffJobs(deps) };
}
