import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { listFailed, outboxBacklog, retryFailed } from './slack/outbox-admin.js';

/**
 * `npm run outbox -- <command>`: inspect and replay Slack deliveries.
 *   status            pending and failed counts, age of the oldest pending row
 *   failed            the latest failed deliveries with their errors
 *   retry <id>...     requeue these failed deliveries
 *   retry --failed    requeue every failed delivery
 * Uses DATABASE_URL, else DATA_DIR (the embedded database is single-process: stop Tandem first).
 */
try {
  process.loadEnvFile?.();
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
const [command, ...args] = process.argv.slice(2);
const logger = createLogger(process.env.LOG_LEVEL || 'warn');
const database = await openDatabase({
  url: process.env.DATABASE_URL || undefined,
  dataDir: process.env.DATA_DIR || './data',
  logger,
});
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
try {
  if (command === 'status') print(await outboxBacklog(database.db));
  else if (command === 'failed') print(await listFailed(database.db));
  else if (command === 'retry' && args[0] === '--failed') print({ requeued: await retryFailed(database.db) });
  else if (command === 'retry' && args.length > 0) print({ requeued: await retryFailed(database.db, args) });
  else {
    process.stderr.write('usage: npm run outbox -- status | failed | retry <id>... | retry --failed\n');
    process.exitCode = 2;
  }
} finally {
  await database.close();
}
