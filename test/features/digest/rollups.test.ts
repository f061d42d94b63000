import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../../src/db/database.js';
import { computeDigest, type DigestOptions } from '../../../src/features/digest/queries.js';
import { createLogger } from '../../../src/logger.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';

const HOUR = 3_600_000;
/** 45 days that straddle UTC midnights, Mondays and a month, so ranges mix whole days (rollups) and partial ones (facts). */
const START = Date.parse('2026-10-04T00:00:00Z');
const SPAN_HOURS = 1_080;
const at = (hours: number) => new Date(START + hours * HOUR);

const LEADS = 4;
const CAMPAIGNS = 3;
const campaign = fc.option(fc.integer({ min: 0, max: CAMPAIGNS - 1 }), { nil: null });
const hour = fc.integer({ min: 0, max: SPAN_HOURS - 1 });
const lead = fc.integer({ min: 0, max: LEADS - 1 });
const status = fc.constantFrom('pending', 'accepted', 'rejected') as fc.Arbitrary<'pending' | 'accepted' | 'rejected'>;
const reason = fc.option(fc.constantFrom('no_budget', 'wrong_fit', 'duplicate'), { nil: null });

const operation = fc.oneof(
  fc.record({
    kind: fc.constant('handoffs' as const),
    rows: fc.array(fc.record({ lead, campaign, hour, status, reason }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('feedback' as const),
    lead,
    hour,
    rating: fc.integer({ min: 1, max: 5 }),
    ready: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('decide' as const), pick: fc.nat(), status, reason }),
  fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), hour, campaign }),
  fc.record({ kind: fc.constant('forget' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('deal' as const),
    slot: fc.integer({ min: 0, max: 3 }),
    lead: fc.option(lead, { nil: null }),
    byEmail: fc.boolean(),
    campaign,
    hour,
    won: fc.boolean(),
    currency: fc.constantFrom('USD', 'EUR'),
  }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

const range = fc
  .tuple(fc.integer({ min: 0, max: SPAN_HOURS * 60 }), fc.integer({ min: 1, max: SPAN_HOURS * 60 }))
  .map(([start, length]) => ({
    from: new Date(START + start * 60_000),
    to: new Date(START + (start + length) * 60_000),
  }));

describe.each(DATABASE_KINDS)('the digest from daily rollups on %s', (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({
      url: database.env.DATABASE_URL,
      dataDir: database.env.DATA_DIR,
      logger: createLogger('silent'),
    });
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  /** Applies the operations as the app's writes would, in the order given; received times are all distinct. */
  async function apply(operations: Operation[]) {
    const db = handle.db;
    for (const table of ['deals', 'lead_feedback', 'handoffs', 'leads', 'campaigns'] as const) {
      await db.deleteFrom(table).execute();
    }
    const campaigns: string[] = [];
    for (let i = 0; i < CAMPAIGNS; i++) {
      campaigns.push(
        (
          await db
            .insertInto('campaigns')
            .values({ crm_id: `C${i}`, name: `Campaign ${i % 2}` })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    }
    const leads: string[] = [];
    for (let i = 0; i < LEADS; i++) {
      const values = { crm_id: `L${i}`, name: `Lead ${i}`, email: `lead${i % 3}@example.com` };
      leads.push((await db.insertInto('leads').values(values).returning('id').executeTakeFirstOrThrow()).id);
    }
    const handoffIds: string[] = [];
    const pick = (n: number) => handoffIds[n % handoffIds.length] as string;
    for (const [step, op] of operations.entries()) {
      const received = (hours: number) => new Date(START + hours * HOUR + step * 1_000);
      if (op.kind === 'handoffs') {
        const rows = op.rows.map((row, i) => ({
          event_id: `e${step}-${i}`,
          lead_id: leads[row.lead] as string,
          campaign_id: row.campaign === null ? null : (campaigns[row.campaign] as string),
          occurred_at: at(row.hour),
          received_at: new Date(received(row.hour).getTime() + i),
          status: row.status,
          reject_reason: row.status === 'rejected' ? row.reason : null,
        }));
        handoffIds.push(...(await db.insertInto('handoffs').values(rows).returning('id').execute()).map((r) => r.id));
      } else if (op.kind === 'feedback') {
        await db
          .insertInto('lead_feedback')
          .values({
            lead_id: leads[op.lead] as string,
            rater_slack_user_id: 'U1',
            rating: op.rating,
            sales_ready: op.ready,
            created_at: at(op.hour),
          })
          .execute();
      } else if (op.kind === 'decide' && handoffIds.length > 0) {
        const reject = op.status === 'rejected' ? op.reason : null;
        await db
          .updateTable('handoffs')
          .set({ status: op.status, reject_reason: reject })
          .where('id', '=', pick(op.pick))
          .execute();
      } else if (op.kind === 'move' && handoffIds.length > 0) {
        // Not a write the app makes today; the rollups must follow any change all the same.
        const campaignId = op.campaign === null ? null : (campaigns[op.campaign] as string);
        await db
          .updateTable('handoffs')
          .set({ occurred_at: at(op.hour), campaign_id: campaignId })
          .where('id', '=', pick(op.pick))
          .execute();
      } else if (op.kind === 'forget' && handoffIds.length > 0) {
        const id = pick(op.pick);
        await db.deleteFrom('handoffs').where('id', '=', id).execute();
        handoffIds.splice(handoffIds.indexOf(id), 1);
      } else if (op.kind === 'deal') {
        const leadId = op.lead === null || op.byEmail ? null : (leads[op.lead] as string);
        await db
          .insertInto('deals')
          .values({
            crm_id: `D${op.slot}`,
            name: `Deal ${step}`,
            amount: 100 + step,
            currency: op.currency,
            stage: op.won ? 'won' : 'lost',
            closed_at: at(op.hour),
            lead_id: leadId,
            lead_email: op.lead !== null && op.byEmail ? `lead${op.lead % 3}@example.com` : null,
            campaign_id: op.campaign === null ? null : (campaigns[op.campaign] as string),
          })
          // A deal sent again is a correction: stage, amount, close date and campaign may all change.
          .onConflict((oc) =>
            oc.column('crm_id').doUpdateSet((eb) => ({
              amount: eb.ref('excluded.amount'),
              currency: eb.ref('excluded.currency'),
              stage: eb.ref('excluded.stage'),
              closed_at: eb.ref('excluded.closed_at'),
              lead_id: eb.ref('excluded.lead_id'),
              lead_email: eb.ref('excluded.lead_email'),
              campaign_id: eb.ref('excluded.campaign_id'),
            })),
          )
          .execute();
      }
    }
  }

  it('computes exactly what the facts alone give, for any writes in any order and any range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { minLength: 1, maxLength: 14 }),
        fc.array(range, { minLength: 1, maxLength: 4 }),
        async (operations, ranges) => {
          await apply(operations);
          for (const { from, to } of ranges) {
            const options: DigestOptions = { slaHours: 24, now: at(SPAN_HOURS / 2) };
            const fast = await computeDigest(handle.db, from, to, options);
            const facts = await computeDigest(handle.db, from, to, { ...options, source: 'facts' });
            expect(fast).toEqual(facts);
          }
        },
      ),
      { numRuns: kind === 'pglite' ? 40 : 60 },
    );
  }, 240_000);

  it('rebuilding the rollups from the facts changes nothing the triggers kept', async () => {
    const snapshot = async () => ({
      deals: (await sql`select * from digest_deal_days where deals <> 0 order by 1, 2, 3, 4, 5`.execute(handle.db))
        .rows,
      handoffs: (
        await sql`select * from digest_handoff_days where handoffs <> 0 order by 1, 2, 3, 4, 5`.execute(handle.db)
      ).rows,
      feedback: (
        await sql`select * from digest_feedback_days where feedback_count <> 0 order by 1, 2, 3`.execute(handle.db)
      ).rows,
    });
    const [operations] = fc.sample(fc.array(operation, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 7 });
    await apply(operations ?? []);
    const kept = await snapshot();
    expect(kept.handoffs.length * kept.feedback.length * kept.deals.length).toBeGreaterThan(0);
    await sql`select digest_rollups_rebuild()`.execute(handle.db);
    expect(await snapshot()).toEqual(kept);
  });
});
