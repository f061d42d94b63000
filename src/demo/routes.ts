import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { z } from 'zod';
import { readBody } from '../http/body.js';
import { type Route, sendJson } from '../http/server.js';
import { type DemoCrm, sampleCampaign, sampleLead, sampleWin } from './crm.js';
import { type DemoPerson, demoPerson } from './people.js';
import type { DemoSlackClient } from './slack-client.js';
import type { DemoWorkspace } from './workspace.js';

const PUBLIC_DIR = new URL('./public/', import.meta.url);
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
// The page loads nothing from elsewhere; images inside Block Kit may live anywhere, as in Slack.
const CSP = "default-src 'self'; img-src 'self' data: http: https:; style-src 'self'; script-src 'self'";

const person = z.string().transform((id, ctx): DemoPerson => {
  const found = demoPerson(id);
  if (!found) ctx.addIssue({ code: 'custom', message: 'not a demo person' });
  return found as DemoPerson;
});
const json = z.record(z.string(), z.unknown());
const bodies = {
  command: z.object({
    as: person,
    channel: z.string(),
    text: z
      .string()
      .regex(/^\/[a-z]+/)
      .max(3000),
  }),
  click: z.object({
    as: person,
    blockId: z.string(),
    element: json,
    site: z.union([
      z.object({ kind: z.literal('message'), channel: z.string(), ts: z.string() }),
      z.object({ kind: z.literal('view'), viewId: z.string() }),
    ]),
  }),
  submit: z.object({ as: person, viewId: z.string(), values: json }),
  close: z.object({ as: person, viewId: z.string() }),
  suggest: z.object({ as: person, viewId: z.string(), blockId: z.string(), actionId: z.string(), value: z.string() }),
  home: z.object({ as: person }),
  crm: z.object({
    kind: z.enum(['lead', 'campaign', 'won']),
    owner: person,
    name: z.string().trim().max(200).optional(),
    amount: z.coerce.number().min(0).max(1e9).optional(),
    campaignId: z.string().max(200).optional(),
  }),
};

/** Read at request time: the client and the CRM need Tandem's URL, known only once it listens. */
interface DemoRouteParts {
  workspace: DemoWorkspace;
  client: DemoSlackClient;
  crm: DemoCrm;
}

/** The demo page and its API under /demo/. Tandem serves these only when the demo passes them to startTandem. */
export function demoRoutes(parts: DemoRouteParts): Route[] {
  const { workspace } = parts;
  const post = <S extends z.ZodType>(name: string, schema: S, act: (body: z.output<S>) => Promise<unknown>): Route => ({
    method: 'POST',
    path: `/demo/api/${name}`,
    async handle(req, res) {
      const parsed = schema.safeParse(await readJson(req));
      if (!parsed.success)
        return sendJson(res, 400, { ok: false, error: 'invalid_request', issues: parsed.error.issues });
      sendJson(res, 200, { ok: true, ...((await act(parsed.data)) as object) });
    },
  });
  const modal = (p: DemoPerson, viewId: string) => {
    const open = workspace.modalOf(p.id);
    if (open?.id !== viewId) throw new Error('that modal is no longer open');
    return open;
  };
  const homeView = (p: DemoPerson, viewId: string) => {
    const view = workspace.snapshot(p.id).home ?? {};
    return { ...view, id: viewId, type: 'home' };
  };

  return [
    ...staticRoutes(),
    {
      method: 'GET',
      path: '/demo/api/state',
      handle(req, res) {
        req.resume();
        const as = demoPerson(new URL(req.url ?? '/', 'http://demo').searchParams.get('as'));
        if (!as) return sendJson(res, 400, { ok: false, error: 'unknown_person' });
        sendJson(res, 200, workspace.snapshot(as.id));
      },
    },
    { method: 'GET', path: '/demo/api/events', handle: (req, res) => streamChanges(workspace, req, res) },
    post('command', bodies.command, async ({ as, channel, text }) => {
      const [command = '', ...rest] = text.trim().split(/\s+/);
      return { status: await parts.client.command(as, channel, command, rest.join(' ')) };
    }),
    post('click', bodies.click, async ({ as, site, blockId, element }) => {
      const where =
        site.kind === 'message'
          ? site
          : {
              kind: 'view' as const,
              view:
                workspace.modalOf(as.id)?.id === site.viewId
                  ? { ...modal(as, site.viewId).view, id: site.viewId }
                  : homeView(as, site.viewId),
            };
      return { status: await parts.client.click(as, where, blockId, element) };
    }),
    post('submit', bodies.submit, async ({ as, viewId, values }) => ({
      status: await parts.client.submit(as, modal(as, viewId), values),
    })),
    post('close', bodies.close, async ({ as, viewId }) => workspace.closeModal(as.id, viewId)),
    post('suggest', bodies.suggest, ({ as, viewId, blockId, actionId, value }) =>
      parts.client.suggest(as, modal(as, viewId), blockId, actionId, value),
    ),
    post('home', bodies.home, async ({ as }) => ({ status: await parts.client.openHome(as) })),
    post('crm', bodies.crm, async ({ kind, owner, name, amount, campaignId }) => {
      if (kind === 'lead')
        return parts.crm.send('/webhooks/lead-handoff', sampleLead(owner.email, campaignId || undefined));
      if (kind === 'campaign')
        return parts.crm.send('/webhooks/campaign', sampleCampaign(owner.email, name || 'Spring Warehouse Tour'));
      return parts.crm.send('/webhooks/deal-closed', sampleWin(owner.email, amount ?? 42000, campaignId || undefined));
    }),
  ];
}

/** One GET route per file in public/, read once: the page is a handful of small files. */
function staticRoutes(): Route[] {
  const files = readdirSync(PUBLIC_DIR).filter((name) => CONTENT_TYPES[extname(name)]);
  const serve = (name: string): Route['handle'] => {
    const content = readFileSync(new URL(name, PUBLIC_DIR));
    return (req, res) => {
      req.resume();
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(name)] as string,
        'content-length': content.length,
        'content-security-policy': CSP,
        'cache-control': 'no-cache',
      });
      res.end(content);
    };
  };
  const redirect: Route['handle'] = (req, res) => {
    req.resume();
    res.writeHead(302, { location: '/demo/' }).end();
  };
  return [
    { method: 'GET', path: '/demo', handle: redirect },
    { method: 'GET', path: '/', handle: redirect },
    { method: 'GET', path: '/demo/', handle: serve('index.html') },
    ...files.map((name) => ({ method: 'GET' as const, path: `/demo/${name}`, handle: serve(name) })),
  ];
}

/** Server-Sent Events: a `change` event whenever the workspace may look different; the page then refetches. */
function streamChanges(workspace: DemoWorkspace, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(`event: change\ndata: ${workspace.version}\n\n`);
  let pending: NodeJS.Timeout | undefined;
  const stop = workspace.onChange(() => {
    // A burst of calls (a card and its thread) becomes one refetch.
    pending ??= setTimeout(() => {
      pending = undefined;
      res.write(`event: change\ndata: ${workspace.version}\n\n`);
    }, 60);
  });
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const close = () => {
    stop();
    clearInterval(keepAlive);
    clearTimeout(pending);
    res.end();
  };
  req.on('close', close);
  workspace.onStop(close);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  try {
    return JSON.parse((await readBody(req, 256 * 1024)).toString('utf8'));
  } catch {
    return undefined;
  }
}
