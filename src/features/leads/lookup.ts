import type { Db } from '../../db/database.js';
import type { Lead } from '../../db/schema.js';
import { findLeadByReference, findLeadsByReferences } from './queries.js';

interface Waiting {
  reference: string;
  resolve(lead: Lead | undefined): void;
  reject(err: unknown): void;
}

/**
 * Lead look-ups by reference (findLeadByReference), batched: those asked for in one turn of the event loop go to
 * the database as one statement. Under a burst of `/leadfeedback <lead>` a query each would hold one pooled
 * connection each for at least a turn of the loop, so with more commands in flight than connections the look-ups
 * queued behind one another past their budget (the modal then opened without its lead), and each cost a round
 * trip and a query built; one statement per turn keeps up with any rate at one connection.
 */
export class LeadLookup {
  private waiting: Waiting[] = [];

  constructor(private readonly db: Db) {}

  find(reference: string): Promise<Lead | undefined> {
    return new Promise((resolve, reject) => {
      // setImmediate runs after the turn's I/O callbacks: every command read in this turn joins the batch.
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ reference, resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    findLeadsByReferences(
      this.db,
      batch.map((w) => w.reference),
    ).then(
      (leads) => {
        for (const [i, w] of batch.entries()) w.resolve(leads[i]);
      },
      (err: unknown) => {
        if (batch.length === 1) return batch[0]?.reject(err);
        // One reference the database refuses (a NUL byte, say) fails the whole statement: each is looked up alone
        // then, so that it fails alone, as it would have without the batch.
        for (const w of batch) findLeadByReference(this.db, w.reference).then(w.resolve, w.reject);
      },
    );
  }
}
