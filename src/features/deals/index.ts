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
    async apply(trx, event, ownerSlackUserId, ctx): Promise<'stale' | undefined> {
      const { deal, celebration, stale } = await recordDealClosed(trx, event, {
        ownerSlackUserId,
        winsChannel: deps.config.channels.wins,
      });
      if (stale) return 'stale';
      ctx.log.info({ dealId: deal.id, crmId: deal.crm_id, stage: deal.stage, celebration }, 'deal recorded');
    },
  });
  return { routes: [route] };
}
