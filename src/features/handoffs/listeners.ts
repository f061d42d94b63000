import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { UserFacingError } from '../../errors.js';
import { requestLogger } from '../../slack/app.js';
import { respondEphemeral } from '../../slack/respond.js';
import { feedbackModal } from '../feedback/blocks.js';
import { BLOCK } from '../feedback/ids.js';
import { parseFeedbackMetadata, parseFeedbackSubmission } from '../feedback/schema.js';
import { publishHome } from '../home/listeners.js';
import { loadCardInput } from './card.js';
import { acceptHandoff, type Decider, decisionRefusal, rejectHandoff } from './record.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const handoffIdSchema = z.uuid();

/** The button's handoff, or a polite refusal when the payload names none we know. */
async function buttonHandoff({ db }: Deps, action: BlockButtonAction['actions'][number] | undefined) {
  const id = handoffIdSchema.safeParse(action?.value);
  const loaded = id.success ? await loadCardInput(db, id.data) : undefined;
  if (!loaded) throw new UserFacingError('That handoff no longer exists in Tandem.');
  return loaded;
}

/** The owner's Slack id: stored, or looked up now when the CRM gave only an email. */
async function decider(
  { users }: Deps,
  userId: string,
  owner: { owner_slack_user_id: string | null; owner_email: string | null },
): Promise<Decider> {
  const ownerId = owner.owner_slack_user_id ?? (owner.owner_email ? await users.idForEmail(owner.owner_email) : null);
  return { userId, ownerId };
}

/** A private answer: in the channel where the button was pressed, else (the Home tab) in the app's DM. */
async function tellUser(deps: Deps, body: ButtonArgs['body'], text: string) {
  if (body.response_url) return respondEphemeral(body.response_url, text);
  if (body.channel?.id) {
    await deps.slack.interactive.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, text });
    return;
  }
  await deps.slack.interactive.chat.postMessage({ channel: body.user.id, text });
}

/** Accept: only the owner; the card is updated in place through the outbox. */
export function accept(deps: Deps) {
  return async ({ ack, body, action, context }: ButtonArgs) => {
    await ack();
    const { handoff } = await buttonHandoff(deps, action);
    try {
      await acceptHandoff(deps.db, handoff.id, await decider(deps, body.user.id, handoff));
    } catch (err) {
      if (!(err instanceof UserFacingError)) throw err;
      return tellUser(deps, body, err.message);
    }
    requestLogger(context).info({ handoffId: handoff.id }, 'handoff accepted');
    if (body.view?.type === 'home') await publishHome(deps, body.user.id);
  };
}

/** Reject: only the owner; opens the feedback modal asking why. */
export function openReject(deps: Deps) {
  return async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const { handoff, lead } = await buttonHandoff(deps, action);
    const refusal = decisionRefusal(handoff, await decider(deps, body.user.id, handoff));
    if (refusal) return tellUser(deps, body, refusal);
    await deps.slack.interactive.views.open({
      trigger_id: body.trigger_id,
      view: feedbackModal({
        purpose: 'reject',
        lead,
        metadata: { handoffId: handoff.id, leadId: lead.id, responseUrl: body.response_url },
      }),
    });
  };
}

/** Rate lead: the /leadfeedback modal for this handoff's lead. Anyone may rate. */
export function openRate(deps: Deps) {
  return async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const { handoff, lead } = await buttonHandoff(deps, action);
    await deps.slack.interactive.views.open({
      trigger_id: body.trigger_id,
      view: feedbackModal({ lead, metadata: { handoffId: handoff.id, responseUrl: body.response_url } }),
    });
  };
}

/** The reject modal submitted: validate, then reject + store feedback + tell marketing + update the card. */
export function submitReject(deps: Deps) {
  return async ({ ack, body, view, context }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    const metadata = parseFeedbackMetadata(view.private_metadata);
    const parsed = parseFeedbackSubmission(view.state.values, { leadId: metadata.leadId, rejecting: true });
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    const { rejectReason } = parsed.value;
    if (!metadata.handoffId || !rejectReason) {
      return ack({
        response_action: 'errors',
        errors: { [BLOCK.rejectReason]: 'This form is out of date; close it and press Reject again.' },
      });
    }
    try {
      const handoff = await loadCardInput(deps.db, metadata.handoffId);
      if (!handoff) throw new UserFacingError('That handoff no longer exists in Tandem.');
      const who = await decider(deps, body.user.id, handoff.handoff);
      await rejectHandoff(deps.db, deps.config.channels.marketing, metadata.handoffId, who, {
        ...parsed.value,
        rejectReason,
        raterSlackUserId: body.user.id,
      });
    } catch (err) {
      const message =
        err instanceof UserFacingError
          ? err.message
          : 'Tandem could not save this just now. Please submit again in a moment.';
      await ack({ response_action: 'errors', errors: { [BLOCK.rejectReason]: message } });
      if (err instanceof UserFacingError) return;
      throw err;
    }
    await ack();
    requestLogger(context).info({ handoffId: metadata.handoffId, rejectReason }, 'handoff rejected');
    // The rep's Home lists their pending handoffs: this one has left it.
    await publishHome(deps, body.user.id);
  };
}
