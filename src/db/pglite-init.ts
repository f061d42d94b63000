/**
 * Making a new embedded-database directory. initdb is ~3 s of CPU and ~0.5 GB in a helper process; a copy of a
 * pristine directory that initdb made before is ~0.1 s. That template is kept beside the compiled code
 * (`.pglite-template/`, one per PGlite version and start settings): `npm run build` makes it, so a new DATA_DIR in
 * a fresh build or image starts from a copy, and otherwise the first new DATA_DIR makes it. Where it cannot be made
 * (a read-only install), the directory is initialised in place as before.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Initialises a new data directory (initdb) in a process of its own, as PGlite would in ours: initdb runs a second
 * PGlite beside the first, copies its heap and tars the result, and the ~0.5 GB that leaves behind is garbage the
 * process may keep (allocator arenas, collections that never come) long after. A process that exits returns it all.
 * It prints its peak RSS (KiB) last, for the log.
 */
const INITIALISE = `
const [dir, params] = process.argv.slice(-2);
const { PGlite } = await import('@electric-sql/pglite');
const pglite = await PGlite.create(dir, { startParams: JSON.parse(params) });
await pglite.close();
process.stdout.write(String(process.resourceUsage().maxRSS));
`;

/** Where the compiled code's root is: dist/ when built, the checkout under tsx (this file is <root>/src/db/). */
const CODE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How a new directory was made, for the log. */
export type Initialised =
  | { from: 'template'; template: string; helperPeakMiB?: number }
  | { from: 'initdb'; helperPeakMiB: number; templateError?: string };

/** Where templates are kept: beside the compiled code. */
export const TEMPLATES = path.join(CODE_ROOT, '.pglite-template');

/** Makes `dir` (which must not exist yet) a new database directory for PGlite started with `startParams`. */
export async function initialiseDataDir(
  dir: string,
  startParams: readonly string[],
  templates = TEMPLATES,
): Promise<Initialised> {
  let templateError: string;
  try {
    const { template, helperPeakMiB } = await ensureTemplate(startParams, templates);
    copyDir(template, dir);
    return { from: 'template', template, ...(helperPeakMiB === undefined ? {} : { helperPeakMiB }) };
  } catch (err) {
    // A template that cannot be made or copied (read-only files, a full disk) must not stop the start.
    templateError = (err as Error).message;
  }
  return { from: 'initdb', helperPeakMiB: await initialise(dir, startParams), templateError };
}

/**
 * The template for these settings in `templates`, made now if missing; `helperPeakMiB` is set when it was. Made
 * aside and renamed into place, so that nobody copies half a template; when two processes race, the first rename
 * wins and the other's copy is dropped.
 */
export async function ensureTemplate(
  startParams: readonly string[],
  templates = TEMPLATES,
): Promise<{ template: string; helperPeakMiB?: number }> {
  const template = path.join(templates, templateName(startParams));
  if (existsSync(path.join(template, 'PG_VERSION'))) return { template };
  mkdirSync(templates, { recursive: true });
  const scratch = mkdtempSync(path.join(templates, '.making-'));
  try {
    const helperPeakMiB = await initialise(path.join(scratch, 'data'), startParams);
    readableByAll(path.join(scratch, 'data'));
    try {
      renameSync(path.join(scratch, 'data'), template);
    } catch (err) {
      if (!existsSync(path.join(template, 'PG_VERSION'))) throw err;
    }
    return { template, helperPeakMiB };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The template is made by whoever builds (root, in the image) and copied by whoever runs (the image's `node`
 * user), and initdb leaves a file or two readable by its owner only. It holds no data and no secret.
 */
function readableByAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
}

/** Copies `from` to `to` (absent, or an empty directory) whole or not at all: aside first, then renamed. */
function copyDir(from: string, to: string): void {
  const scratch = `${to}.copying-${process.pid}`;
  try {
    cpSync(from, scratch, { recursive: true });
    renameSync(scratch, to);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One template per PGlite version and start settings: a directory another version made is not this one's. */
function templateName(startParams: readonly string[]): string {
  const settings = createHash('sha256').update(JSON.stringify(startParams)).digest('hex').slice(0, 12);
  return `pglite-${pgliteVersion()}-${settings}`;
}

/** The installed PGlite's version, from the package.json above its entry point. */
function pgliteVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  for (; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
  }
  throw new Error('cannot find the version of @electric-sql/pglite');
}

/** Runs INITIALISE on `dir`; resolves to the helper's peak RSS in MiB. */
async function initialise(dir: string, startParams: readonly string[]): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--liftoff-only', '--input-type=module', '--eval', INITIALISE, dir, JSON.stringify(startParams)],
    // Bare imports in --eval code resolve from the working directory: this file's, inside the app's node_modules tree.
    { cwd: path.dirname(fileURLToPath(import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exit = await new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  if (exit !== 0) throw new Error(`initialising the embedded database in ${dir} failed (${exit}):\n${stderr.trim()}`);
  return Math.round(Number(stdout.trim().split('\n').at(-1)) / 1024);
}
