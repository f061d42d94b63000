import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export interface Pace {
  /** Posts per second per channel; 0 turns pacing off (a 429's hold still applies). */
  rate: number;
  /** Posts a channel may take at once after a quiet spell. */
  burst: number;
}

/**
 * Takes one token from `channel`'s bucket, refilled at `rate` per second up to `burst`. Returns 0 when a post
 * may go now, else the milliseconds to wait: for a token, or for a 429's hold to end. Atomic across replicas:
 * the upsert locks the bucket's row.
 */
export async function takePostToken(db: Db, channel: string, pace: Pace): Promise<number> {
  const rate = Math.max(0, pace.rate);
  if (rate === 0) return heldFor(db, channel);
  const refilled = sql<number>`least(${pace.burst}::float8, channel_buckets.tokens + extract(epoch from (now() - channel_buckets.updated_at)) * ${rate}::float8)`;
  const taken = await db
    .insertInto('channel_buckets')
    .values({ channel, tokens: pace.burst - 1 })
    .onConflict((oc) =>
      oc
        .column('channel')
        .doUpdateSet({ tokens: sql`${refilled} - 1`, updated_at: sql`now()` })
        .where(refilled, '>=', 1)
        .where((eb) =>
          eb.or([
            eb('channel_buckets.held_until', 'is', null),
            eb('channel_buckets.held_until', '<=', sql<Date>`now()`),
          ]),
        ),
    )
    .returning('tokens')
    .executeTakeFirst();
  if (taken) return 0;
  const bucket = await db
    .selectFrom('channel_buckets')
    .select([
      sql<number>`${refilled}`.as('tokens'),
      sql<number>`coalesce(extract(epoch from (held_until - now())) * 1000, 0)`.as('held_ms'),
    ])
    .where('channel', '=', channel)
    .executeTakeFirstOrThrow();
  const tokenWait = ((1 - Number(bucket.tokens)) / rate) * 1000;
  return Math.max(1, Math.ceil(Math.max(tokenWait, Number(bucket.held_ms))));
}

/** Unpaced, only a 429's hold can make a post wait: a read, with no bucket row to write and lock. */
async function heldFor(db: Db, channel: string): Promise<number> {
  const held = await db
    .selectFrom('channel_buckets')
    .select(sql<number>`extract(epoch from (held_until - now())) * 1000`.as('held_ms'))
    .where('channel', '=', channel)
    .where('held_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return held ? Math.max(1, Math.ceil(Number(held.held_ms))) : 0;
}

/** After a 429 on `channel`: no replica posts to it until Retry-After has passed. */
export async function holdChannel(db: Db, channel: string, pace: Pace, delayMs: number): Promise<void> {
  const until = sql<Date>`now() + make_interval(secs => ${delayMs / 1000})`;
  await db
    .insertInto('channel_buckets')
    .values({ channel, tokens: pace.burst, held_until: until })
    .onConflict((oc) =>
      oc.column('channel').doUpdateSet({ held_until: sql`greatest(channel_buckets.held_until, ${until})` }),
    )
    .execute();
}
