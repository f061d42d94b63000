import { inboxBacklog, listFailed, retryFailed } from './connectors/inbox-admin.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';

/**
 * `npm run connector -- <command>`: inspect and replay CRM connector events (HubSpot today).
 *   status            pending and failed counts, age of the oldest pending event
 *   failed            the latest failed events with their errors
 *   retry <id>...     requeue these failed events
 *   retry --failed    requeue every failed event
 * Uses DATABASE_URL, else DATA_DIR (the embedded database is single-process: stop Tandem first).
 */
try {
  process.loadEnvFile?.();
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const [command, ...args] = process.argv.slice(2);
const logger = createLogger(process.env.LOG_LEVEL || 'warn');
const database = await openDatabase({
  url: process.env.DATABASE_URL || undefined,
  dataDir: process.env.DATA_DIR || './data',
  logger,
});
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
try {
  if (command === 'status') print(await inboxBacklog(database.db));
  else if (command === 'failed') print(await listFailed(database.db));
  else if (command === 'retry' && args[0] === '--failed') print({ requeued: await retryFailed(database.db) });
  else if (command === 'retry' && args.length > 0 && args.every((id) => UUID.test(id))) {
    print({ requeued: await retryFailed(database.db, args) });
  } else {
    process.stderr.write('usage: npm run connector -- status | failed | retry <id>... | retry --failed\n');
    process.exitCode = 2;
  }
} finally {
  await database.close();
}
