import type { App } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { webhookRoute } from '../../http/webhook.js';
import { recordDealClosed } from './record.js';
import { dealClosedEvent } from './schema.js';

/** Deal-closed webhook: stores deals and celebrates wins. */
export function registerDeals(_app: App, deps: Deps): FeatureParts {
  const route = webhookRoute(deps, {
    path: '/webhooks/deal-closed',
    kind: 'deal-closed',
    schema: dealClosedEvent,
    owner: (event) => event.deal.owner,
    async apply(trx, event, ownerSlackUserId, ctx) {
      const { deal, celebration } = await recordDealClosed(trx, event, {
        ownerSlackUserId,
        winsChannel: deps.config.channels.wins,
      });
      ctx.log.info({ dealId: deal.id, crmId: deal.crm_id, stage: deal.stage, celebration }, 'deal recorded');
    },
  });
  return { routes: [route] };
}
