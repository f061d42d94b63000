import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import { z } from 'zod';
import type { Handoff } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { UserFacingError } from '../../errors.js';
import { requestLogger } from '../../slack/app.js';
import { saveOrShowErrors } from '../../slack/modal.js';
import { respondEphemeral } from '../../slack/respond.js';
import { feedbackModal } from '../feedback/blocks.js';
import { publishHome } from '../home/listeners.js';
import { deciderFor } from '../people/record.js';
import { rejectModal } from './blocks.js';
import { REJECT_REASON } from './ids.js';
import { type CardContent, cardContext, findHandoff } from './queries.js';
import { decideHandoff, decisionRefusal } from './record.js';
import { parseRejectMetadata, parseRejectSubmission } from './schema.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const handoffIdSchema = z.uuid();

/** The handoff a button or modal names, or a polite refusal when it names none we know. */
async function namedHandoff({ db }: Deps, handoffId: unknown): Promise<Handoff> {
  const id = handoffIdSchema.safeParse(handoffId);
  const handoff = id.success ? await findHandoff(db, id.data) : undefined;
  if (!handoff) throw new UserFacingError('That handoff no longer exists in Tandem.');
  return handoff;
}

/** The same with the lead and campaign its card shows, for the modals that name the lead. */
async function namedCard(deps: Deps, handoffId: unknown): Promise<CardContent> {
  return cardContext(deps.db, await namedHandoff(deps, handoffId));
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
    const handoff = await namedHandoff(deps, action.value);
    try {
      await decideHandoff(deps.db, handoff.id, await deciderFor(deps, body.user.id, handoff), { status: 'accepted' });
    } catch (err) {
      if (!(err instanceof UserFacingError)) throw err;
      return tellUser(deps, body, err.message);
    }
    requestLogger(context).info({ handoffId: handoff.id }, 'handoff accepted');
    if (body.view?.type === 'home') await publishHome(deps, body.user.id);
  };
}

/** Reject: only the owner; opens the reject modal asking why. */
export function openReject(deps: Deps) {
  return async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const { handoff, lead } = await namedCard(deps, action.value);
    const refusal = decisionRefusal(handoff, await deciderFor(deps, body.user.id, handoff));
    if (refusal) return tellUser(deps, body, refusal);
    await deps.slack.interactive.views.open({
      trigger_id: body.trigger_id,
      view: rejectModal(lead, { handoffId: handoff.id, responseUrl: body.response_url }),
    });
  };
}

/** Rate lead: the /leadfeedback modal for this handoff's lead. Anyone may rate. */
export function openRate(deps: Deps) {
  return async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const { handoff, lead } = await namedCard(deps, action.value);
    await deps.slack.interactive.views.open({
      trigger_id: body.trigger_id,
      view: feedbackModal({ lead, metadata: { handoffId: handoff.id, responseUrl: body.response_url } }),
    });
  };
}

/** The reject modal submitted: validate, then reject + store feedback + tell marketing + update the card. */
export function submitReject(deps: Deps) {
  return async ({ ack, body, view, context }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = parseRejectSubmission(view.state.values);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    const { handoffId } = parseRejectMetadata(view.private_metadata);
    const saved = await saveOrShowErrors(ack, REJECT_REASON.block, async () => {
      if (!handoffId) throw new UserFacingError('This form is out of date; close it and press Reject again.');
      const handoff = await namedHandoff(deps, handoffId);
      await decideHandoff(deps.db, handoffId, await deciderFor(deps, body.user.id, handoff), {
        status: 'rejected',
        feedback: { ...parsed.value, raterSlackUserId: body.user.id },
        marketingChannel: deps.config.channels.marketing,
      });
    });
    if (!saved) return;
    requestLogger(context).info({ handoffId, rejectReason: parsed.value.rejectReason }, 'handoff rejected');
    // The rep's Home lists their pending handoffs: this one has left it.
    await publishHome(deps, body.user.id);
  };
}
