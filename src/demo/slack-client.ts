import {
  appHomeOpened,
  commandBody,
  postToSlackEndpoint,
  sendEvent,
  sendInteraction,
} from '../slack-standin/requests.js';
import type { DemoPerson } from './people.js';
import { DEMO_CHANNELS } from './people.js';
import type { DemoModal } from './types.js';
import type { DemoWorkspace } from './workspace.js';

type Json = Record<string, unknown>;

/** Where a clicked element sits: a message in a channel, or a view (a modal or the Home tab). */
export type ClickSite =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'view'; view: Json & { id: string } };

const TEAM = { id: 'T0DEMO', domain: 'northwind' };

/**
 * Plays the Slack client: turns what a person does on the demo page into the exact requests Slack would send
 * Tandem (slash commands, block_actions, view_submission, block_suggestion, app_home_opened), signed with the
 * signing secret, to Tandem's real `/slack/events`. Nothing here calls Tandem's code directly.
 */
export class DemoSlackClient {
  constructor(
    private readonly appUrl: string,
    private readonly signingSecret: string,
    private readonly workspace: DemoWorkspace,
  ) {}

  /** `/command text` typed in `channelId` as `person`. */
  async command(person: DemoPerson, channelId: string, command: string, text: string): Promise<number> {
    const fields = commandBody({
      command,
      text,
      user_id: person.id,
      channel_id: channelId,
      response_url: this.workspace.responseUrl(person.id, channelId),
      trigger_id: this.workspace.trigger(person.id),
    });
    const channelName = Object.values(DEMO_CHANNELS).find((c) => c.id === channelId)?.name ?? 'directmessage';
    const body = new URLSearchParams({
      ...fields,
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      user_name: person.name,
      channel_name: channelName,
    });
    const res = await postToSlackEndpoint(this.appUrl, this.signingSecret, body.toString());
    // An ack with a message is shown to the caller only, like Slack does.
    const answer = await jsonOf(res);
    if (answer && (answer.text || answer.blocks)) this.workspace.addEphemeral(person.id, channelId, answer);
    // What Slack tells the person when the app does not answer a command in time.
    if (res.status >= 400) {
      this.workspace.addEphemeral(person.id, channelId, {
        text: `\`${command}\` failed: Tandem did not answer it (HTTP ${res.status}).`,
      });
    }
    return res.status;
  }

  /** `person` clicked `element` (a button, say) in the block `blockId` at `site`. */
  async click(person: DemoPerson, site: ClickSite, blockId: string, element: Json): Promise<number> {
    const action = {
      type: element.type,
      action_id: element.action_id,
      block_id: blockId,
      ...(element.value !== undefined ? { value: element.value } : {}),
      ...(element.text !== undefined ? { text: element.text } : {}),
      action_ts: `${Date.now() / 1000}`,
    };
    const common = {
      type: 'block_actions',
      user: this.user(person),
      api_app_id: 'A0TANDEM',
      token: 'legacy-verification-token',
      trigger_id: this.workspace.trigger(person.id),
      team: TEAM,
      actions: [action],
      is_enterprise_install: false,
    };
    const payload =
      site.kind === 'message'
        ? {
            ...common,
            container: { type: 'message', message_ts: site.ts, channel_id: site.channel, is_ephemeral: false },
            channel: { id: site.channel, name: channelName(site.channel) },
            message: this.message(person.id, site.channel, site.ts),
            response_url: this.workspace.responseUrl(person.id, site.channel),
          }
        : { ...common, container: { type: 'view', view_id: site.view.id }, view: this.viewPayload(site.view) };
    const res = await sendInteraction(this.appUrl, this.signingSecret, payload);
    await res.arrayBuffer();
    return res.status;
  }

  /** Submits `modal` with `values` (Slack's `view.state.values`); applies Tandem's answer to the open modals. */
  async submit(person: DemoPerson, modal: DemoModal, values: Json): Promise<number> {
    const payload = {
      type: 'view_submission',
      team: TEAM,
      user: this.user(person),
      api_app_id: 'A0TANDEM',
      token: 'legacy-verification-token',
      trigger_id: this.workspace.trigger(person.id),
      view: this.viewPayload({ ...modal.view, id: modal.id }, values),
      response_urls: [],
      is_enterprise_install: false,
    };
    const res = await sendInteraction(this.appUrl, this.signingSecret, payload);
    if (res.ok) this.workspace.answerSubmission(person.id, modal, (await jsonOf(res)) ?? {});
    else await res.arrayBuffer();
    return res.status;
  }

  /** The options an external select offers for what `person` typed. */
  async suggest(person: DemoPerson, modal: DemoModal, blockId: string, actionId: string, value: string) {
    const payload = {
      type: 'block_suggestion',
      user: this.user(person),
      team: TEAM,
      api_app_id: 'A0TANDEM',
      token: 'legacy-verification-token',
      action_id: actionId,
      block_id: blockId,
      value,
      view: this.viewPayload({ ...modal.view, id: modal.id }),
      container: { type: 'view', view_id: modal.id },
      is_enterprise_install: false,
    };
    const res = await sendInteraction(this.appUrl, this.signingSecret, payload);
    const answer = (await jsonOf(res)) ?? {};
    return { status: res.status, options: answer.options ?? [], option_groups: answer.option_groups ?? [] };
  }

  /** `person` opened the app's Home tab. */
  async openHome(person: DemoPerson): Promise<number> {
    const res = await sendEvent(this.appUrl, this.signingSecret, appHomeOpened(person.id, 'home'));
    await res.arrayBuffer();
    return res.status;
  }

  private user(person: DemoPerson) {
    return { id: person.id, username: person.name, name: person.name, team_id: TEAM.id };
  }

  private viewPayload(view: Json & { id: string }, values: Json = {}) {
    return {
      team_id: TEAM.id,
      type: 'modal',
      callback_id: '',
      private_metadata: '',
      hash: `${Date.now()}.demo`,
      app_id: 'A0TANDEM',
      bot_id: 'BBOT0001',
      ...view,
      state: { values },
    };
  }

  private message(userId: string, channel: string, ts: string) {
    const found = this.workspace
      .snapshot(userId)
      .channels.find((c) => c.id === channel)
      ?.messages.flatMap((m) => [m, ...m.replies])
      .find((m) => m.ts === ts);
    return { type: 'message', ts, text: found?.text ?? '', blocks: found?.blocks ?? [] };
  }
}

function channelName(id: string): string {
  return Object.values(DEMO_CHANNELS).find((c) => c.id === id)?.name ?? 'unknown';
}

async function jsonOf(res: Response): Promise<Json | undefined> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}
