import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { requestLogger } from '../../slack/app.js';
import { saveOrShowErrors } from '../../slack/modal.js';
import { respondEphemeral, trustedResponseUrl } from '../../slack/respond.js';
import { campaignConfirmation, campaignModal, campaignRefusal } from './blocks.js';
import { BLOCK, CAMPAIGN_USAGE } from './ids.js';
import { weeklyCampaignNote } from './note.js';
import { applyCampaignEventOnce } from './record.js';
import { parseCampaignMetadata, parseCampaignSubmission } from './schema.js';

/**
 * `/campaign`: without text, check the caller may post as the bot (CAMPAIGN_POSTERS; a group lookup is cached and
 * bounded), then open the modal at once (the trigger_id is only good for 3 s); `/campaign list`: the weekly campaign
 * note as of now, privately, for anyone; anything else: how to use it.
 */
export function campaignCommand({ db, config, slack, access }: Deps) {
  return async ({ ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const text = command.text.trim().toLowerCase();
    if (text === '') {
      const posters = config.access.campaignPosters;
      if (!(await access.allows(posters, command.user_id))) {
        await respond({ response_type: 'ephemeral', text: campaignRefusal(posters ?? [], config.channels.sales) });
        return;
      }
      await slack.interactive.views.open({
        trigger_id: command.trigger_id,
        view: campaignModal({ responseUrl: command.response_url }),
      });
    } else if (text === 'list') {
      const note = await weeklyCampaignNote(db, new Date(), config);
      await respond({ response_type: 'ephemeral', replace_original: false, ...note });
    } else {
      await respond({ response_type: 'ephemeral', text: CAMPAIGN_USAGE });
    }
  };
}

/**
 * A submitted /campaign modal: validate, then announce through the webhook's domain path with the submitter as
 * owner, once per modal (the view id is the event id), close, confirm.
 */
export function submitCampaign({ db, config, slack }: Deps) {
  return async ({ ack, body, view, context }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = parseCampaignSubmission(view.state.values);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    const owner = body.user.id;

    const saved = await saveOrShowErrors(ack, BLOCK.name, () =>
      applyCampaignEventOnce(
        db,
        `slack:${view.id}`,
        config.channels.sales,
        { ...parsed.value, id: `slack-${randomUUID()}`, status: 'launched', owner: { slack_user_id: owner } },
        owner,
      ),
    );
    if (!saved) return;
    const outcome = saved.saved;

    const duplicate = outcome === 'duplicate';
    if (outcome !== 'duplicate') {
      requestLogger(context).info({ campaignId: outcome.campaign.id }, 'campaign announced from Slack');
    }
    const text = campaignConfirmation(parsed.value.name, config.channels.sales, duplicate);
    const { responseUrl: sent } = parseCampaignMetadata(view.private_metadata);
    const responseUrl = trustedResponseUrl(sent, { apiUrl: config.slack.apiUrl, log: requestLogger(context) });
    if (responseUrl) await respondEphemeral(responseUrl, text);
    else await slack.interactive.chat.postMessage({ channel: owner, text });
  };
}
