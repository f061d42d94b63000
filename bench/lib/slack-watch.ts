/**
 * When the fake Slack received a given Web API call, to the sub-millisecond, without polling. FakeSlack stamps
 * calls with Date.now() (whole ms) and its waitFor re-scans every call on every request, which is fine for a test
 * and quadratic for thousands of calls; here each recorded call is reported once, as it is recorded.
 */
import type { FakeSlack, RecordedCall } from '../../test/support/fake-slack.js';

/**
 * Calls `listener` with performance.now() each time `slack` records a Web API call (the moment its request has
 * been read in full); returns a function that stops it.
 */
export function watchSlackCalls(slack: FakeSlack, listener: (call: RecordedCall, at: number) => void): () => void {
  const calls = slack.calls;
  const previous = Object.getOwnPropertyDescriptor(calls, 'push');
  const record = calls.push;
  // The fake records each call with calls.push(call): an own property shadowing Array.prototype.push sees it.
  Object.defineProperty(calls, 'push', {
    configurable: true,
    value(...items: RecordedCall[]) {
      const at = performance.now();
      for (const item of items) listener(item, at);
      return record.apply(calls, items);
    },
  });
  return () => {
    if (previous) Object.defineProperty(calls, 'push', previous);
    else delete (calls as { push?: unknown }).push;
  };
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
