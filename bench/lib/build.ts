/**
 * Tandem compiled as `npm start` runs it (tsc -p tsconfig.build.json, then node --enable-source-maps
 * dist/src/main.js), for figures where tsx itself would weigh in: its loader thread and transformed sources add
 * tens of MB to the process. Built into a temp dir, so the bench never touches the working tree's dist/.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './cleanup.js';
import { tempDir } from './databases.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The node flags `npm start` uses. */
export const START_FLAGS = ['--enable-source-maps'];

/** Compiles src/ and migrations/ into a temp dir; resolves to its src/main.js. */
export function buildTandem(cleanup: Cleanup): string {
  const dir = tempDir(cleanup, 'tandem-build-');
  const tsc = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', dir],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const main = path.join(dir, 'src/main.js');
  // tsc emits despite type errors; those are the type checker's business, not this figure's, so only say so.
  if (tsc.status !== 0) process.stderr.write(`tsc reported problems (the build is used anyway):\n${tsc.stdout}`);
  if (!existsSync(main)) throw new Error(`the build produced no ${main}:\n${tsc.stdout}${tsc.stderr}`);
  // Packages resolve from the nearest node_modules up the tree, and package.json makes the .js files ESM.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  return main;
}

/**
 * A checkout of the working tree (its files as they are now, untracked ones too but not ignored ones; node_modules
 * linked) in a temp dir, built once with `npm run build`: where `npm start` can be timed with nothing changed since
 * the last build, without touching the working tree's dist/. Resolves to its directory.
 */
export function buildCheckout(cleanup: Cleanup): string {
  const dir = tempDir(cleanup, 'tandem-checkout-');
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).stdout.split('\0');
  // Files only: a deleted one is gone, and a node_modules symlink (a worktree's) is not git's business.
  for (const file of files.filter(
    (f) => f && existsSync(path.join(ROOT, f)) && lstatSync(path.join(ROOT, f)).isFile(),
  )) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(dir, file), { preserveTimestamps: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const build = spawnSync('npm', ['run', 'build'], { cwd: dir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed in ${dir}:\n${build.stdout}${build.stderr}`);
  return dir;
}
