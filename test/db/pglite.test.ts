import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { PGLITE_SETTINGS } from '../../src/db/pglite.js';
import { createLogger } from '../../src/logger.js';

/** Opens the embedded database in `dataDir` with a logger whose lines land in `lines`. */
function open(dataDir: string, lines: Array<Record<string, unknown>>) {
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return openDatabase({ url: undefined, dataDir, logger });
}

const setting = async (db: Awaited<ReturnType<typeof open>>['db'], name: string) =>
  (await sql<Record<string, string>>`show ${sql.id(name)}`.execute(db)).rows[0]?.[name];

describe('the embedded database', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-pglite-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens a new DATA_DIR and reopens it with the settings that keep it small', async () => {
    const created = await open(dataDir, []);
    try {
      expect(await setting(created.db, 'shared_buffers')).toBe(PGLITE_SETTINGS.shared_buffers);
      await sql`create table kept (v text)`.execute(created.db);
      await sql`insert into kept values ('across a restart')`.execute(created.db);
    } finally {
      await created.close();
    }

    const reopened = await open(dataDir, []);
    try {
      expect(await setting(reopened.db, 'shared_buffers')).toBe(PGLITE_SETTINGS.shared_buffers);
      expect((await sql<{ v: string }>`select v from kept`.execute(reopened.db)).rows).toEqual([
        { v: 'across a restart' },
      ]);
    } finally {
      await reopened.close();
    }
  });
});
