import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('initialises a new DATA_DIR in a helper process, then reopens it with the settings that keep it small', async () => {
    const first: Array<Record<string, unknown>> = [];
    const created = await open(dataDir, first);
    try {
      const [initialised] = first.filter((line) => line.msg === 'embedded database initialised');
      // The helper reports its own peak: it did the initdb, not this process.
      expect(initialised?.helperPeakMiB).toBeGreaterThan(0);
      expect(await setting(created.db, 'shared_buffers')).toBe(PGLITE_SETTINGS.shared_buffers);
      await sql`create table kept (v text)`.execute(created.db);
      await sql`insert into kept values ('across a restart')`.execute(created.db);
    } finally {
      await created.close();
    }

    const second: Array<Record<string, unknown>> = [];
    const reopened = await open(dataDir, second);
    try {
      expect(second.filter((line) => line.msg === 'embedded database initialised')).toEqual([]);
      expect(await setting(reopened.db, 'shared_buffers')).toBe(PGLITE_SETTINGS.shared_buffers);
      expect((await sql<{ v: string }>`select v from kept`.execute(reopened.db)).rows).toEqual([
        { v: 'across a restart' },
      ]);
    } finally {
      await reopened.close();
    }
  });

  it('says why when the helper cannot initialise the directory, and leaves DATA_DIR unlocked', async () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'pglite'), 'a file where the database directory should be');
    await expect(open(dataDir, [])).rejects.toThrow(/initialising the embedded database in .*pglite failed/);
    // Released, so that the next attempt gets the same error rather than "DATA_DIR is in use".
    expect(existsSync(path.join(dataDir, 'tandem.pid'))).toBe(false);
  });
});
