import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createLogger } from './logger.js';

/** `npm run migrate`: brings the schema up to date and exits. Needs only DATABASE_URL or DATA_DIR. */
try {
  process.loadEnvFile?.();
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
const logger = createLogger(process.env.LOG_LEVEL || 'info');
const database = await openDatabase({
  url: process.env.DATABASE_URL || undefined,
  dataDir: process.env.DATA_DIR || './data',
  logger,
});
try {
  await migrateToLatest(database.db, logger);
  logger.info({ database: database.kind }, 'schema is up to date');
} finally {
  await database.close();
}
