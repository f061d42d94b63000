/**
 * The digest benchmark's baseline: the exact statement and parameters computeDigest sends, replayed by psql, so that
 * what the server takes and what the app adds (pg driver, Kysely, parsing rows into JSON) are told apart.
 *
 * psql 15 cannot bind parameters, so the text is PREPAREd unchanged (its $1…$n kept) and EXECUTEd with the values
 * as literals. Like the pg driver's unnamed statement, a first EXECUTE is planned for those values, so the plan is
 * the one the app gets. One psql process per run: each starts with a fresh session, as a pooled connection would
 * not (but the digest prepares nothing that a session would keep).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CompiledQuery } from 'kysely';

/** Whether a psql client is on the PATH. */
export function hasPsql(): boolean {
  try {
    execFileSync('psql', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function literal(value: unknown): string {
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  throw new Error(`cannot replay a ${typeof value} parameter in psql`);
}

/**
 * The psql script for one run: computeDigest's transaction (begin, `settings`, the statement, commit), with
 * `\timing` on. `explain` asks for the plan with actual times and buffers instead of the rows.
 */
export function replayScript(query: CompiledQuery, settings: readonly string[], explain = false): string {
  const values = query.parameters.map(literal).join(', ');
  return [
    '\\set ON_ERROR_STOP on',
    '\\timing on',
    'begin;',
    ...settings.map((setting) => `${setting};`),
    `prepare digest as ${query.sql};`,
    `${explain ? 'explain (analyze, buffers) ' : ''}execute digest(${values});`,
    'commit;',
    '',
  ].join('\n');
}

/** Runs a script with psql against `url`: its output, and the sum of the statements' `\timing` (milliseconds). */
export function runPsql(url: string, script: string, { keepOutput = false } = {}): { ms: number; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-psql-'));
  try {
    const file = path.join(dir, 'replay.sql');
    writeFileSync(file, script);
    // -X: no ~/.psqlrc; -q: no command tags. Rows go to /dev/null unless kept: psql's \timing stops when the result
    // has arrived, before printing, so the figure is the server's work plus the transfer, as for the app.
    const args = ['-X', '-q', '-d', url, '-f', file, ...(keepOutput ? [] : ['-o', '/dev/null'])];
    const output = execFileSync('psql', args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    const times = [...output.matchAll(/^Time: ([\d.]+) ms/gm)].map((match) => Number(match[1]));
    if (times.length === 0) throw new Error(`psql printed no timing:\n${output}`);
    return { ms: times.reduce((sum, time) => sum + time, 0), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
