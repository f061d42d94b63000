import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger, type Logger } from '../logger.js';
import { FakeSlack } from '../slack-standin/server.js';
import { startTandem } from '../tandem.js';
import { demoConfig } from './config.js';
import { DemoCrm } from './crm.js';
import { lastJournalTs } from './journal.js';
import { DEMO_PEOPLE_LIST } from './people.js';
import { demoRoutes } from './routes.js';
import { seedDemo } from './seed.js';
import { DemoSlackClient } from './slack-client.js';
import { DemoWorkspace } from './workspace.js';

export interface DemoOptions {
  /** The demo's own directory: the embedded database, the Slack journal and the seeded marker. */
  dataDir: string;
  port: number;
  /** Start from an empty directory. */
  reset?: boolean;
  logger?: Logger;
}

export interface Demo {
  /** The page to open. */
  url: string;
  /** Tandem's base URL (its /slack/events and /webhooks routes). */
  appUrl: string;
  workspace: DemoWorkspace;
  stop(): Promise<void>;
}

const SEEDED_MARKER = 'demo-seeded';
const JOURNAL = 'slack-journal.jsonl';

/**
 * Tandem on the embedded database with an in-process Slack stand-in as its Web API, the demo page and API on
 * Tandem's own HTTP server, and, on first start, a few weeks of seeded activity.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const dataDir = resolve(options.dataDir);
  const dbDir = join(dataDir, 'db');
  const journalPath = join(dataDir, JOURNAL);
  const markerPath = join(dataDir, SEEDED_MARKER);
  // A reset, or a seed that never finished, starts over. Only the demo's own files go: DEMO_DATA_DIR may be
  // a directory that holds other things.
  if (options.reset || !existsSync(markerPath)) {
    for (const path of [markerPath, journalPath, dbDir]) rmSync(path, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  const seeded = existsSync(markerPath);

  const lastTs = lastJournalTs(journalPath);
  const slack = await new FakeSlack(lastTs ? { firstTs: lastTs + 1 } : {}).start();
  for (const p of DEMO_PEOPLE_LIST) {
    slack.users.set(p.email, p.id);
    slack.profiles.set(p.id, { name: p.name, realName: p.realName, email: p.email, title: p.title });
  }
  const workspace = new DemoWorkspace(slack, journalPath);
  workspace.start();

  const config = demoConfig({ dataDir: dbDir, port: options.port, slackApiUrl: slack.apiUrl });
  const logger = options.logger ?? createLogger(config.logLevel);
  // The routes need Tandem's URL, which is known once it listens: they reach it through this holder.
  const parts: { client?: DemoSlackClient; crm?: DemoCrm } = {};
  const lazy = {
    workspace,
    get client() {
      return parts.client as DemoSlackClient;
    },
    get crm() {
      return parts.crm as DemoCrm;
    },
  };
  let tandem: Awaited<ReturnType<typeof startTandem>>;
  try {
    tandem = await startTandem(config, logger, {
      outbox: { pollMs: 250 },
      extraRoutes: demoRoutes(lazy),
    });
  } catch (err) {
    workspace.stop();
    await slack.stop();
    throw err;
  }
  const appUrl = `http://127.0.0.1:${tandem.port}`;
  parts.client = new DemoSlackClient(appUrl, config.slack.signingSecret as string, workspace);
  parts.crm = new DemoCrm(appUrl, config.webhookSecrets[0] as string);

  const stop = async () => {
    workspace.stop();
    await tandem.stop();
    await slack.stop();
  };
  if (!seeded) {
    try {
      await seedDemo({ crm: parts.crm, client: parts.client, workspace, deps: tandem.deps });
      writeFileSync(markerPath, `${new Date().toISOString()}\n`);
    } catch (err) {
      await stop();
      throw err;
    }
  }
  return { url: `http://localhost:${tandem.port}/demo/`, appUrl, workspace, stop };
}
