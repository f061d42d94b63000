import { type Kysely, sql } from 'kysely';

// Frozen: migrations never import application code.

/**
 * Wakes outbox workers from the insert itself: a statement-level trigger sends the NOTIFY that enqueueing used to
 * send as a statement of its own (one round trip less per Slack post). Like any NOTIFY it is delivered on commit,
 * once the rows are visible, and several in one transaction arrive as one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function outbox_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tandem_outbox', '');
      return null;
    end $$
  `.execute(db);
  await sql`create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify()`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger outbox_notify on outbox`.execute(db);
  await sql`drop function outbox_notify()`.execute(db);
}
