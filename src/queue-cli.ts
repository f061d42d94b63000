import { InboxStore } from './connectors/inbox.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { OutboxStore } from './slack/outbox-store.js';

/**
 * `npm run outbox -- <command>` (Slack deliveries) and `npm run connector -- <command>` (CRM events):
 *   status            pending and failed counts, age of the oldest pending row
 *   failed            the latest failed rows with their errors
 *   retry <id>...     requeue these failed rows
 *   retry --failed    requeue every failed row
 * Uses DATABASE_URL, else DATA_DIR (the embedded database is single-process: stop Tandem first).
 */
try {
  process.loadEnvFile?.();
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
const QUEUES = { outbox: OutboxStore, connector: InboxStore };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const [queue, command, ...args] = process.argv.slice(2);
const Store = QUEUES[queue as keyof typeof QUEUES];
const usage = `usage: npm run ${queue ?? 'outbox'} -- status | failed | retry <id>... | retry --failed\n`;
if (!Store) {
  process.stderr.write(usage);
  process.exit(2);
}
const database = await openDatabase({
  url: process.env.DATABASE_URL || undefined,
  dataDir: process.env.DATA_DIR || './data',
  logger: createLogger(process.env.LOG_LEVEL || 'warn'),
});
const rows = new Store(database.db);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
try {
  if (command === 'status') print(await rows.backlog());
  else if (command === 'failed') print(await rows.listFailed());
  else if (command === 'retry' && args[0] === '--failed') print({ requeued: await rows.retryFailed() });
  else if (command === 'retry' && args.length > 0 && args.every((id) => UUID.test(id))) {
    print({ requeued: await rows.retryFailed(args) });
  } else {
    process.stderr.write(usage);
    process.exitCode = 2;
  }
} finally {
  await database.close();
}
