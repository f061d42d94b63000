import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/** Creates one migrated PGlite data directory that tests copy instead of initialising their own. */
export default async function setup(project: TestProject) {
  const root = mkdtempSync(path.join(tmpdir(), 'tandem-template-'));
  const database = await openDatabase({ url: undefined, dataDir: root, logger: createLogger('silent') });
  await migrateToLatest(database.db, createLogger('silent'));
  await database.close();
  project.provide('pgliteTemplate', path.join(root, 'pglite'));
  return () => rmSync(root, { recursive: true, force: true });
}
