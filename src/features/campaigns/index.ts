import type { App } from '@slack/bolt';
import type { Deps, FeatureParts } from '../../deps.js';
import { webhookRoute } from '../../http/webhook.js';
import { CAMPAIGN_VIEW } from './ids.js';
import { campaignNoteJob } from './job.js';
import { campaignCommand, submitCampaign } from './listeners.js';
import { applyCampaignEvent } from './record.js';
import { campaignEvent } from './schema.js';

/** Campaign webhook, /campaign (modal and list) and the weekly campaign note. */
export function registerCampaigns(app: App, deps: Deps): FeatureParts {
  app.command('/campaign', campaignCommand(deps));
  app.view(CAMPAIGN_VIEW, submitCampaign(deps));
  const route = webhookRoute(deps, {
    path: '/webhooks/campaign',
    kind: 'campaign',
    schema: campaignEvent,
    owner: (event) => event.campaign.owner,
    apply: async (trx, event, ownerSlackUserId, ctx) => {
      const { campaign, posted } = await applyCampaignEvent(
        trx,
        deps.config.channels.sales,
        event.campaign,
        ownerSlackUserId,
        event.occurred_at,
      );
      if (posted === 'stale') return 'stale';
      ctx.log.info({ campaignId: campaign.id, status: event.campaign.status, posted }, 'campaign event applied');
    },
  });
  return { routes: [route], jobs: [campaignNoteJob(deps)] };
}
