import { describe, expect, it } from 'vitest';
import { LeadLookup } from '../../../src/features/leads/lookup.js';
import { findLeadByReference } from '../../../src/features/leads/queries.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { seedLead } from '../../support/fixtures.js';

/**
 * `/leadfeedback <lead>` looks leads up in batches (one statement for all the references asked for in one turn of
 * the event loop); each must find what a look-up of its own would.
 */
describe.each(DATABASE_KINDS)('batched lead look-ups on %s', (kind) => {
  const ids: Record<string, string> = {};
  const t = useTestApp(kind, {
    scope: 'file',
    async seed({ app }) {
      const db = app.tandem.deps.db;
      ids.dana = (await seedLead(db, { crm_id: 'L-1', name: 'Dana', email: 'shared@acme.example' })).id;
      ids.later = (await seedLead(db, { crm_id: 'L-2', name: 'Dana again', email: 'Shared@Acme.example' })).id;
      const later = new Date(Date.now() + 60_000);
      await db.updateTable('leads').set({ updated_at: later }).where('id', '=', ids.later).execute();
      // A CRM id that is also another lead's email: the CRM id wins.
      ids.ops = (await seedLead(db, { crm_id: 'ops@acme.example', name: 'Ops' })).id;
      await seedLead(db, { crm_id: 'L-3', name: 'Ops by email', email: 'ops@acme.example' });
    },
  });

  it('finds in one batch what each reference finds alone, in order', async () => {
    const db = t.app.tandem.deps.db;
    const dana = ids.dana as string;
    const references = ['L-1', 'SHARED@acme.example', dana, ' L-2 ', 'ops@acme.example', 'L-404', dana.slice(1)];
    const lookup = new LeadLookup(db);
    const batched = await Promise.all(references.map((reference) => lookup.find(reference)));
    const alone = await Promise.all(references.map((reference) => findLeadByReference(db, reference)));

    expect(batched.map((lead) => lead?.name)).toEqual([
      'Dana',
      'Dana again',
      'Dana',
      'Dana again',
      'Ops',
      undefined,
      undefined,
    ]);
    expect(batched[4]?.id).toBe(ids.ops);
    expect(batched).toEqual(alone);
  });

  it('fails only the reference the database refuses, not the rest of its batch', async () => {
    const lookup = new LeadLookup(t.app.tandem.deps.db);
    const [found, refused] = await Promise.allSettled([lookup.find('L-1'), lookup.find('L-\u0000')]);
    expect(found).toMatchObject({ status: 'fulfilled', value: { name: 'Dana' } });
    expect(refused.status).toBe('rejected');
  });
});
