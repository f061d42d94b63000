/**
 * What every benchmark script shares: statistics, the machine description, and writing its own section of
 * BENCHMARKS.md (between markers, so one figure can be re-run without touching the others).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { PG_SERVER } from './databases.js';

export const BENCHMARKS_FILE = new URL('../../BENCHMARKS.md', import.meta.url).pathname;

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export const print = (line = '') => process.stdout.write(`${line}\n`);

/** The version of the server the benchmarks ran against (BENCH_DATABASE_URL, like every other bench script). */
function postgresVersion(): string {
  try {
    return execFileSync('psql', ['-XAtc', 'show server_version', PG_SERVER], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** One line naming the machine, so a figure is never read without knowing where it came from. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  return `${os.availableParallelism()} × ${cpu}, ${memory}, ${os.type()} ${os.release()}, Node ${process.version}, PostgreSQL ${postgresVersion()}`;
}

/** A markdown table from a header row and body rows. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface Section {
  /** Stable key: the script's name, e.g. `ack`. */
  key: string;
  title: string;
  /** The command that produced the figures, exactly as one would type it. */
  command: string;
  /** Markdown: the table and anything a reader needs to trust it (runs, sizes, verdict against the target). */
  body: string;
}

const HEADER = `# Benchmarks

Produced by \`npm run bench\` (all figures) or the per-figure command in each section. Figures are medians of several
runs; ratios come from a baseline run beside the figure in the same script, because absolute times drift on a shared
machine. CI does not run these.
`;

/** Replaces (or appends) this figure's section of BENCHMARKS.md, and prints it. */
export function writeSection(section: Section): void {
  const start = `<!-- bench:${section.key} -->`;
  const end = `<!-- /bench:${section.key} -->`;
  const text = [
    start,
    `## ${section.title}`,
    '',
    `Command: \`${section.command}\` · ${new Date().toISOString().slice(0, 10)} · ${machine()}`,
    '',
    section.body.trim(),
    end,
  ].join('\n');
  const current = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + text + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${text}\n`;
  writeFileSync(BENCHMARKS_FILE, next);
  print(text);
}

/** The 1-minute load average now: benches read it at their start and end, to say how busy the machine was. */
export function loadAverage(): number {
  return os.loadavg()[0] ?? Number.NaN;
}

/** "Load average (1 min) 2.3 at the start and 5.0 at the end, on 2 cores shared with other work." */
export function loadSentence(start: number, end: number): string {
  return `Load average (1 min) ${start.toFixed(1)} at the start and ${end.toFixed(1)} at the end, on ${os.availableParallelism()} cores shared with other work.`;
}
