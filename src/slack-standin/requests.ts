import { createHmac } from 'node:crypto';

/** Headers Slack signs a request with: v0 HMAC-SHA256 over `v0:<timestamp>:<raw body>`. */
export function slackSignature(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export interface SendOptions {
  /** Sign with this timestamp (seconds) instead of now. */
  timestamp?: number;
  /** Replace the computed signature. */
  signature?: string;
}

/** POSTs a form-encoded body to /slack/events exactly as Slack does, signed with `secret`. */
export async function postToSlackEndpoint(
  appUrl: string,
  secret: string,
  body: string,
  options: SendOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    // Slack sends exactly this content type; Bolt compares it strictly.
    'content-type': 'application/x-www-form-urlencoded',
    ...slackSignature(secret, body, options.timestamp),
  };
  if (options.signature !== undefined) headers['x-slack-signature'] = options.signature;
  return fetch(`${appUrl}/slack/events`, { method: 'POST', headers, body, signal: AbortSignal.timeout(8_000) });
}

export interface CommandFields {
  command: string;
  text: string;
  user_id: string;
  channel_id: string;
  response_url: string;
  trigger_id: string;
}

/** The fields of a slash command as Slack sends them. */
export function commandBody(fields: Partial<CommandFields> & Pick<CommandFields, 'command'>): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: 'T0001',
    team_domain: 'acme',
    channel_id: 'C0SALES01',
    channel_name: 'sales',
    user_id: 'UREP0001',
    user_name: 'rep',
    text: '',
    api_app_id: 'A0TANDEM',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0001/1/abc',
    trigger_id: `${Date.now()}.1234.${Math.random().toString(16).slice(2)}`,
    ...fields,
  };
}

export function sendCommand(
  appUrl: string,
  secret: string,
  fields: Parameters<typeof commandBody>[0],
  options?: SendOptions,
) {
  return postToSlackEndpoint(appUrl, secret, new URLSearchParams(commandBody(fields)).toString(), options);
}

export function sendInteraction(appUrl: string, secret: string, payload: object, options?: SendOptions) {
  return postToSlackEndpoint(
    appUrl,
    secret,
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    options,
  );
}

type StateValue = Record<string, unknown>;

/** A `view_submission` payload for a modal with the given state values. */
export function viewSubmission(input: {
  callbackId: string;
  values: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
  userId?: string;
}) {
  return {
    type: 'view_submission',
    team: { id: 'T0001', domain: 'acme' },
    user: { id: input.userId ?? 'UREP0001', username: 'rep', name: 'rep', team_id: 'T0001' },
    api_app_id: 'A0TANDEM',
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.1234.view`,
    view: {
      id: 'V0MODAL1',
      team_id: 'T0001',
      type: 'modal',
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata ?? '',
      hash: '1700000000.abc',
      state: { values: input.values },
      blocks: [],
      title: { type: 'plain_text', text: 'Modal' },
      app_id: 'A0TANDEM',
      bot_id: 'BBOT0001',
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

/** A `block_suggestion` payload: the person typed `value` into the external select `actionId`. */
export function blockSuggestion(input: { actionId: string; blockId: string; value: string; userId?: string }) {
  return {
    type: 'block_suggestion',
    user: { id: input.userId ?? 'UREP0001', name: 'rep', team_id: 'T0001' },
    team: { id: 'T0001', domain: 'acme' },
    api_app_id: 'A0TANDEM',
    token: 'legacy-verification-token',
    action_id: input.actionId,
    block_id: input.blockId,
    value: input.value,
    view: { id: 'V0MODAL1', type: 'modal', callback_id: 'lead_feedback', state: { values: {} } },
    container: { type: 'view', view_id: 'V0MODAL1' },
    is_enterprise_install: false,
  };
}

/** State for a radio group or select: `{ type, selected_option: { value } }`. */
export const selected = (type: string, value: string | undefined): StateValue => ({
  type,
  selected_option: value === undefined ? null : { text: { type: 'plain_text', text: value }, value },
});

/** A `block_actions` payload: `userId` pressed the button `actionId` (with `value`) on a message. */
export function buttonPress(input: {
  actionId: string;
  value: string;
  userId?: string;
  channelId?: string;
  responseUrl?: string;
  triggerId?: string;
  blockId?: string;
}) {
  return {
    type: 'block_actions',
    user: { id: input.userId ?? 'UREP0001', username: 'rep', name: 'rep', team_id: 'T0001' },
    api_app_id: 'A0TANDEM',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: '1700000001.000100',
      channel_id: input.channelId ?? 'C0SALES01',
      is_ephemeral: false,
    },
    trigger_id: input.triggerId ?? `${Date.now()}.1234.button`,
    team: { id: 'T0001', domain: 'acme' },
    channel: { id: input.channelId ?? 'C0SALES01', name: 'sales' },
    message: { type: 'message', ts: '1700000001.000100', text: 'card', blocks: [] },
    response_url: input.responseUrl ?? 'https://hooks.slack.com/actions/T0001/1/xyz',
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: input.blockId ?? 'handoff_actions',
        value: input.value,
        text: { type: 'plain_text', text: 'Button' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
    is_enterprise_install: false,
  };
}

/** POSTs an Events API envelope to /slack/events as JSON, signed like every Slack request. */
export async function sendEvent(
  appUrl: string,
  secret: string,
  event: Record<string, unknown>,
  options: SendOptions & { eventId?: string; retryNum?: number } = {},
): Promise<Response> {
  const body = JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T0001',
    api_app_id: 'A0TANDEM',
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${Date.now()}${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...slackSignature(secret, body, options.timestamp),
  };
  if (options.signature !== undefined) headers['x-slack-signature'] = options.signature;
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(`${appUrl}/slack/events`, { method: 'POST', headers, body });
}

/** An `app_home_opened` event: `user` opened the app's Home (or Messages) tab. */
export function appHomeOpened(user: string, tab: 'home' | 'messages' = 'home') {
  return { type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab, event_ts: `${Date.now() / 1000}` };
}

/** A `block_actions` payload for a button pressed on the Home tab: a view container, no channel or response_url. */
export function homeButtonPress(input: { actionId: string; value: string; userId?: string; triggerId?: string }) {
  const { container: _, channel: __, message: ___, response_url: ____, ...rest } = buttonPress(input);
  return {
    ...rest,
    container: { type: 'view', view_id: 'VHOME0001' },
    view: {
      id: 'VHOME0001',
      team_id: 'T0001',
      type: 'home',
      callback_id: '',
      private_metadata: '',
      hash: '1700000000.home',
      state: { values: {} },
      blocks: [],
      app_id: 'A0TANDEM',
      bot_id: 'BBOT0001',
    },
    actions: rest.actions.map((action) => ({ ...action, block_id: `handoff_actions:${input.value}` })),
  };
}
