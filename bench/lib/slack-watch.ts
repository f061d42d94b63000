/**
 * The Slack test server as the benchmarks use it: started for one run, and told when each Web API call arrives
 * (rather than polled: FakeSlack.waitFor re-scans every call, fine for a test, quadratic for thousands of calls).
 */
import { FakeSlack, type RecordedCall } from '../../test/support/fake-slack.js';
import type { Cleanup } from './cleanup.js';

/** A fake Slack that `cleanup` stops. */
export async function startFakeSlack(cleanup: Cleanup): Promise<FakeSlack> {
  const slack = await new FakeSlack().start();
  cleanup.add('stop the fake Slack', () => slack.stop());
  return slack;
}

/**
 * Calls `listener` with performance.now() each time `slack` records a Web API call (the moment its request has
 * been read in full); returns a function that stops it.
 */
export function watchSlackCalls(slack: FakeSlack, listener: (call: RecordedCall, at: number) => void): () => void {
  return slack.onCall((call) => listener(call, performance.now()));
}

/**
 * Matches things the bench waits for (a trigger_id's views.open, a handoff's card) to the time they arrived. An
 * arrival may come before anyone waits for it (a card can be posted before the webhook's 202 is read).
 */
export class Arrivals {
  private readonly arrived = new Map<string, number>();
  private readonly waiting = new Map<string, (at: number) => void>();

  arrive(key: string, at: number): void {
    const wake = this.waiting.get(key);
    if (wake) {
      this.waiting.delete(key);
      wake(at);
    } else {
      this.arrived.set(key, at);
    }
  }

  /** Resolves with the time `key` arrived, waiting for it up to `timeoutMs`. */
  when(key: string, timeoutMs = 30_000): Promise<number> {
    const at = this.arrived.get(key);
    if (at !== undefined) {
      this.arrived.delete(key);
      return Promise.resolve(at);
    }
    const arrival = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`${key} did not reach Slack within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(key, (arrivedAt) => {
        clearTimeout(timer);
        resolve(arrivedAt);
      });
    });
    // A wait given up on (its request failed first) must not end the bench as an unhandled rejection; awaiting
    // it still throws.
    arrival.catch(() => {});
    return arrival;
  }
}
