import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { PGLITE_SETTINGS, START_PARAMS } from '../../src/db/pglite.js';
import { initialiseDataDir } from '../../src/db/pglite-init.js';
import { createLogger } from '../../src/logger.js';

/** Opens the embedded database in `dataDir` with a logger whose lines land in `lines`. */
function open(dataDir: string, lines: Array<Record<string, unknown>>) {
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return openDatabase({ url: undefined, dataDir, logger });
}

const setting = async (db: Awaited<ReturnType<typeof open>>['db'], name: string) =>
  (await sql<Record<string, string>>`show ${sql.id(name)}`.execute(db)).rows[0]?.[name];

/** Each test's own temp directory, removed after it. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tandem-pglite-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the embedded database', () => {
  it('starts a new DATA_DIR from the template, then reopens it with the settings that keep it small', async () => {
    const first: Array<Record<string, unknown>> = [];
    const created = await open(dir, first);
    try {
      const [initialised] = first.filter((line) => line.msg === 'embedded database initialised');
      // A copy of the build's template (made now by a helper process if the build did not).
      expect(initialised).toMatchObject({ from: 'template', template: expect.stringContaining('.pglite-template') });
      expect(await setting(created.db, 'shared_buffers')).toBe(PGLITE_SETTINGS.shared_buffers);
      await sql`create table kept (v text)`.execute(created.db);
      await sql`insert into kept values ('across a restart')`.execute(created.db);
    } finally {
      await created.close();
    }

    const second: Array<Record<string, unknown>> = [];
    const reopened = await open(dir, second);
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
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'pglite'), 'a file where the database directory should be');
    await expect(open(dir, [])).rejects.toThrow(/initialising the embedded database in .*pglite failed/);
    // Released, so that the next attempt gets the same error rather than "DATA_DIR is in use".
    expect(existsSync(path.join(dir, 'tandem.pid'))).toBe(false);
  });
});

describe('new embedded database directories', () => {
  it('makes the template once, in a helper process, and starts every new directory as a copy of it', async () => {
    const templates = path.join(dir, 'templates');
    const first = await initialiseDataDir(path.join(dir, 'a'), START_PARAMS, templates);
    // The helper reports its own peak: it did the initdb, not this process.
    expect(first).toMatchObject({ from: 'template', helperPeakMiB: expect.any(Number) });
    const { template } = first as { template: string };
    const second = await initialiseDataDir(path.join(dir, 'b'), START_PARAMS, templates);
    expect(second).toEqual({ from: 'template', template });
    // Nothing half-made is left beside them.
    expect(readdirSync(dir).sort()).toEqual(['a', 'b', 'templates']);
    expect(readdirSync(templates)).toEqual([path.basename(template)]);
    // Copied by a user other than the one who made it (the image builds as dir and runs as node).
    const ownerOnly = readdirSync(template, { recursive: true, withFileTypes: true })
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => (statSync(file).mode & 0o444) !== 0o444);
    expect(ownerOnly).toEqual([]);

    const copy = await PGlite.create(path.join(dir, 'b'), { startParams: [...START_PARAMS] });
    try {
      expect((await copy.query<{ n: number }>('select 1 + 1 as n')).rows).toEqual([{ n: 2 }]);
    } finally {
      await copy.close();
    }
  });

  it('initialises in place when no template can be made', async () => {
    writeFileSync(path.join(dir, 'not-a-directory'), '');
    const made = await initialiseDataDir(path.join(dir, 'data'), START_PARAMS, path.join(dir, 'not-a-directory'));
    expect(made).toMatchObject({ from: 'initdb', helperPeakMiB: expect.any(Number), templateError: /ENOTDIR/ });
    expect(existsSync(path.join(dir, 'data', 'PG_VERSION'))).toBe(true);
  });
});
