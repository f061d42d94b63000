/**
 * At most `limit` holders at a time in this process; others queue for at most `waitMs`, then give up. Keeps one
 * kind of expensive request (a year-long digest, say) from taking every database connection and the event loop
 * that webhooks and Slack's 3-second acks need.
 */
export class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly waitMs: number,
  ) {}

  /** Runs `work` once a place is free; `undefined` (without running it) when none freed within `waitMs`. */
  async run<T>(work: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (!(await this.enter())) return undefined;
    try {
      return { value: await work() };
    } finally {
      this.leave();
    }
  }

  private enter(): Promise<boolean> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const admit = () => {
        clearTimeout(timer);
        resolve(true); // the leaver handed its place over: `active` is unchanged
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(admit), 1);
        resolve(false);
      }, this.waitMs);
      this.waiting.push(admit);
    });
  }

  private leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
