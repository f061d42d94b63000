import type { IncomingMessage } from 'node:http';
import type { FakeSlack } from './server.js';
import type { Fault } from './types.js';

/**
 * The stand-in's answers to the Web API methods Tandem calls, in the shapes Slack documents, from the workspace
 * the stand-in holds (users, groups, roles, profiles, uploaded files).
 */
export function answerWebApi(slack: FakeSlack, method: string, args: Record<string, unknown>): Record<string, unknown> {
  switch (method) {
    case 'auth.test':
      return {
        ok: true,
        url: 'https://acme.slack.com/',
        team: 'Acme',
        user: 'tandem',
        team_id: 'T0001',
        user_id: 'UBOT0001',
        bot_id: 'BBOT0001',
      };
    case 'apps.connections.open':
      return { ok: true, url: `ws://127.0.0.1:${slack.port}/socket` };
    case 'chat.postMessage':
      return { ok: true, channel: args.channel, ts: `${slack.nextTs()}.000100`, message: { text: args.text } };
    case 'chat.update':
      return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
    case 'chat.postEphemeral':
      return { ok: true, message_ts: `${slack.nextTs()}.000200` };
    case 'views.open':
    case 'views.update':
    case 'views.push':
    case 'views.publish':
      return { ok: true, view: { id: `V${slack.calls.length}`, ...(parseView(args.view) ?? {}) } };
    case 'files.getUploadURLExternal': {
      const length = Number(args.length);
      if (!args.filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
      const id = `F${slack.nextTs()}`;
      slack.files.set(id, { id, filename: String(args.filename), length });
      return { ok: true, upload_url: `http://127.0.0.1:${slack.port}/upload/${id}`, file_id: id };
    }
    case 'files.completeUploadExternal': {
      // Slack refuses to complete a file whose bytes did not all arrive.
      const [entry] = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as Array<{
        id: string;
        title?: string;
      }>;
      const file = entry ? slack.files.get(entry.id) : undefined;
      if (!file) return { ok: false, error: 'file_not_found' };
      if (file.bytes?.length !== file.length) return { ok: false, error: 'file_upload_incomplete' };
      file.completed = { title: entry?.title, channel_id: args.channel_id, thread_ts: args.thread_ts };
      return { ok: true, files: [{ id: file.id, title: entry?.title }] };
    }
    case 'conversations.open':
      return { ok: true, channel: { id: `D${String(args.users ?? 'X')}` } };
    case 'users.lookupByEmail': {
      const id = slack.users.get(String(args.email ?? '').toLowerCase());
      return id ? { ok: true, user: { id, profile: { email: args.email } } } : { ok: false, error: 'users_not_found' };
    }
    case 'usergroups.users.list': {
      // Slack's documented shape: { ok, users: [user ids] }; an unknown group is `no_such_subteam`.
      const members = slack.userGroups.get(String(args.usergroup ?? ''));
      return members ? { ok: true, users: [...members] } : { ok: false, error: 'no_such_subteam' };
    }
    case 'users.info': {
      // users.info's documented shape: workspace owners are admins too. A user without a profile of their own
      // is named by their id.
      const id = String(args.user ?? '');
      if (!/^[UW][A-Z0-9]{2,}$/.test(id)) return { ok: false, error: 'user_not_found' };
      const role = slack.roles.get(id);
      const profile = slack.profiles.get(id);
      const email = profile?.email ?? [...slack.users].find(([, uid]) => uid === id)?.[0];
      const realName = profile?.realName ?? id;
      return {
        ok: true,
        user: {
          id,
          team_id: 'T0001',
          name: profile?.name ?? id.toLowerCase(),
          real_name: realName,
          deleted: false,
          ...(profile?.tz ? { tz: profile.tz } : {}),
          is_admin: role === 'admin' || role === 'owner',
          is_owner: role === 'owner',
          is_bot: false,
          profile: {
            real_name: realName,
            display_name: profile?.name ?? id,
            ...(email ? { email } : {}),
            ...(profile?.title ? { title: profile.title } : {}),
            status_emoji: profile?.status?.emoji ?? '',
            status_text: profile?.status?.text ?? '',
            status_expiration: profile?.status?.expiration ?? 0,
          },
        },
      };
    }
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

function parseView(view: unknown): Record<string, unknown> | undefined {
  if (typeof view === 'string') return JSON.parse(view);
  return view as Record<string, unknown> | undefined;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** WebClient sends form fields, with objects (blocks, view) JSON-encoded inside them. */
export function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw);
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** What Slack answers when a fault is injected; undefined for a hang, which delays the real answer instead. */
export async function faultAnswer(
  fault: Fault,
): Promise<{ status: number; body: unknown; headers?: Record<string, string> } | undefined> {
  switch (fault.kind) {
    case 'ratelimited':
      return {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { 'retry-after': String(fault.retryAfter) },
      };
    case 'http':
      return { status: fault.status, body: { ok: false, error: 'fake_http_error' } };
    case 'error':
      return { status: 200, body: { ok: false, error: fault.error } };
    case 'hang':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return undefined;
  }
}
