import { Migrator } from 'kysely/migration';
import { migrations } from '../../migrations/index.js';
import type { Logger } from '../logger.js';
import type { Db } from './database.js';

/** Brings the schema up to date; kysely's lock table makes concurrent replicas take turns. */
export async function migrateToLatest(db: Db, logger: Logger): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info({ migration: result.migrationName }, 'migration applied');
    else if (result.status === 'Error') logger.error({ migration: result.migrationName }, 'migration failed');
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
