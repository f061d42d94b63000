import type {
  AllMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import { isStatementTimeout } from '../../db/errors.js';
import type { Lead } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { requestLogger } from '../../slack/app.js';
import { saveOrShowErrors } from '../../slack/modal.js';
import { respondEphemeral, trustedResponseUrl } from '../../slack/respond.js';
import { LeadLookup } from '../leads/lookup.js';
import { searchLeads } from '../leads/queries.js';
import { feedbackConfirmation, feedbackModal, leadOption } from './blocks.js';
import { BLOCK } from './ids.js';
import { recordFeedback } from './record.js';
import { parseFeedbackMetadata, parseFeedbackSubmission } from './schema.js';

/** A lead lookup may take this long before the modal opens without it: the trigger_id dies at 3 s. */
const LOOKUP_BUDGET_MS = 1_200;

/** `/leadfeedback [lead id or email]`: ack, find the lead if one was named, open the modal. */
export function openFeedbackModal({ db, slack }: Deps) {
  const leads = new LeadLookup(db);
  return async ({ ack, command }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const reference = command.text.trim();
    const lead = reference ? await withDeadline(leads.find(reference), LOOKUP_BUDGET_MS) : undefined;
    await slack.interactive.views.open({
      trigger_id: command.trigger_id,
      view: feedbackModal({
        lead: lead === 'late' ? undefined : lead,
        unmatchedReference: reference && !lead ? reference : undefined,
        metadata: { responseUrl: command.response_url },
      }),
    });
  };
}

/**
 * How long the lead picker's search may take. Slack drops an options answer after 3 s and shows the rep an error;
 * "no results" sooner is better, and typing one more letter searches again.
 */
export const LEAD_SEARCH_BUDGET_MS = 1_500;

/** Options for the lead picker, as the rep types. */
export function suggestLeads({ db }: Deps) {
  return async ({ ack, options, context }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs) => {
    const query = options.value.trim();
    let leads: Lead[] | 'late' = [];
    try {
      if (query) {
        const search = searchLeads(db, query, 25, { statementTimeoutMs: LEAD_SEARCH_BUDGET_MS });
        leads = await withDeadline(search, LEAD_SEARCH_BUDGET_MS);
      }
    } catch (err) {
      if (!isStatementTimeout(err)) {
        await ack({ options: [] }); // Slack shows "no results" rather than an error banner
        throw err;
      }
      leads = 'late';
    }
    if (leads === 'late') {
      requestLogger(context).warn({ budgetMs: LEAD_SEARCH_BUDGET_MS }, 'lead search too slow; answered no results');
      return ack({ options: [] });
    }
    await ack({ options: leads.map(leadOption) });
  };
}

/** A submitted modal: validate, store with the marketing notice, close, confirm. */
export function submitFeedback({ db, config, slack }: Deps) {
  return async ({ ack, body, view, context }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = parseFeedbackSubmission(view.state.values);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    const metadata = parseFeedbackMetadata(view.private_metadata);
    const outcome = await saveOrShowErrors(ack, BLOCK.lead, () =>
      recordFeedback(db, config.channels.marketing, {
        ...parsed.value,
        raterSlackUserId: body.user.id,
        handoffId: metadata.handoffId,
      }),
    );
    if (!outcome) return;
    const recorded = outcome.saved;
    const text = feedbackConfirmation(recorded.lead, parsed.value.rating, recorded.campaign);
    requestLogger(context).info({ feedbackId: recorded.feedbackId, leadId: recorded.lead.id }, 'feedback recorded');
    const responseUrl = trustedResponseUrl(metadata.responseUrl, {
      apiUrl: config.slack.apiUrl,
      log: requestLogger(context),
    });
    if (responseUrl) await respondEphemeral(responseUrl, text);
    else await slack.interactive.chat.postMessage({ channel: body.user.id, text });
  };
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
