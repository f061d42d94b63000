import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from './postgres-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/** Creates one migrated PGlite data directory that tests copy instead of initialising their own. */
export default async function setup(project: TestProject) {
  const root = mkdtempSync(path.join(tmpdir(), 'tandem-template-'));
  await migrateDatabase(undefined, root);
  project.provide('pgliteTemplate', path.join(root, 'pglite'));
  return () => rmSync(root, { recursive: true, force: true });
}
