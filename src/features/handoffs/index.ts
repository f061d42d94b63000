import type { App, BlockButtonAction } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { webhookRoute } from '../../http/webhook.js';
import { leadLockKeys } from '../leads/queries.js';
import { reserveCard } from '../routing/burst.js';
import { ACCEPT_ACTION, RATE_ACTION, REJECT_ACTION, REJECT_VIEW } from './ids.js';
import { handoffJobs } from './job.js';
import { accept, openRate, openReject, submitReject } from './listeners.js';
import { cardPosting, handoffOwnerKey, recordHandoff } from './record.js';
import { leadHandoffEvent } from './schema.js';

/** Lead-handoff webhook, the handoff card and its Accept / Reject / Rate buttons, and the SLA check. */
export function registerHandoffs(app: App, deps: Deps): FeatureParts {
  app.action<BlockButtonAction>(ACCEPT_ACTION, accept(deps));
  app.action<BlockButtonAction>(REJECT_ACTION, openReject(deps));
  app.action<BlockButtonAction>(RATE_ACTION, openRate(deps));
  app.view(REJECT_VIEW, submitReject(deps));
  const { burst } = deps.config.routing;
  const route = webhookRoute(deps, {
    path: '/webhooks/lead-handoff',
    kind: 'lead-handoff',
    schema: leadHandoffEvent,
    owner: (event) => event.owner,
    locks: (event) => leadLockKeys({ crmId: event.lead.id, email: event.lead.email }),
    prepare: (event, ownerId) => reserveCard(deps.db, handoffOwnerKey(event, ownerId), burst, event.event_id),
    apply: async (trx, event, ownerId, _ctx, cardReserved) => {
      await recordHandoff(trx, event, ownerId, { ...cardPosting(deps.config), cardReserved });
      return undefined;
    },
  });
  return { routes: [route], jobs: handoffJobs(deps) };
}
