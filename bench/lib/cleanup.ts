/**
 * Every benchmark creates things that must not outlive it (child processes, databases, temp dirs), on success, on
 * failure and on Ctrl-C alike. Each is registered here as it is made and undone in reverse order.
 */
import { print } from './report.js';

type Undo = () => unknown;

export class Cleanup {
  private readonly undos: Array<{ what: string; undo: Undo }> = [];
  private running: Promise<void> | undefined;

  /** Registers `undo` to run at the end; later registrations run first (a process before its database). */
  add(what: string, undo: Undo): void {
    this.undos.push({ what, undo });
  }

  /**
   * A Cleanup for one part of a benchmark that can be run when that part is over (stopping its app before the next
   * part starts), and that still runs with this one if the part fails or the bench is interrupted.
   */
  scope(what: string): Cleanup {
    const scope = new Cleanup();
    this.add(what, () => scope.run());
    return scope;
  }

  /** Runs every undo once, reporting (not throwing) failures so that one stuck step does not leak the rest. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const { what, undo } of this.undos.reverse()) {
        try {
          await undo();
        } catch (err) {
          process.stderr.write(`cleanup: could not ${what}: ${describe(err)}\n`);
        }
      }
    })();
    return this.running;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * Runs one benchmark script: `main` gets a Cleanup that runs whatever happens, including SIGINT/SIGTERM and an
 * error nothing caught (an 'error' event, say: the child apps would otherwise outlive the bench), and a failure
 * sets a non-zero exit code so that `npm run bench` notices.
 */
export function runBench(name: string, main: (cleanup: Cleanup) => Promise<void>): void {
  const cleanup = new Cleanup();
  const abort = (why: string, exitCode: number) => {
    process.stderr.write(`${name}: ${why}; cleaning up\n`);
    void cleanup.run().finally(() => process.exit(exitCode));
  };
  process.once('SIGINT', () => abort('SIGINT', 130));
  process.once('SIGTERM', () => abort('SIGTERM', 143));
  process.once('uncaughtException', (err) => abort(`crashed: ${describe(err)}`, 1));
  const started = performance.now();
  main(cleanup)
    .then(() => print(`${name}: done in ${((performance.now() - started) / 1000).toFixed(0)} s`))
    .catch((err) => {
      process.stderr.write(`${name} failed: ${describe(err)}\n`);
      process.exitCode = 1;
    })
    .finally(async () => {
      await cleanup.run();
      // A keep-alive socket or a timer left behind must not keep a finished benchmark waiting.
      process.exit();
    });
}
