import { describe, expect, it } from 'vitest';
import { BLOCK, LEAD_SELECT } from '../../../src/features/feedback/ids.js';
import { LEAD_SEARCH_BUDGET_MS } from '../../../src/features/feedback/listeners.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { seedLead } from '../../support/fixtures.js';
import { SIGNING_SECRET } from '../../support/harness.js';
import { blockSuggestion, sendInteraction } from '../../support/slack-requests.js';
import { holdTableLock } from '../../support/table-lock.js';

/** What the lead picker shows for `value`, and how long Slack waited for it. */
async function suggest(appUrl: string, value: string) {
  const started = Date.now();
  const res = await sendInteraction(
    appUrl,
    SIGNING_SECRET,
    blockSuggestion({ actionId: LEAD_SELECT, blockId: BLOCK.lead, value }),
  );
  const body = (await res.json()) as { options: Array<{ value: string }> };
  return { status: res.status, options: body.options, ms: Date.now() - started };
}

describe.each(DATABASE_KINDS)('the lead picker under a slow database on %s', (kind) => {
  const t = useTestApp(kind, {
    seed: async ({ app }) => {
      await seedLead(app.tandem.deps.db, { crm_id: 'L-1001', name: 'Dana Whitfield', company: 'Northwind' });
    },
  });

  it('answers "no results" within Slack’s 3 seconds when the search is stuck, then finds leads again', async () => {
    const lock = await holdTableLock(t.app.tandem.deps.db, 'leads');
    try {
      const stuck = await suggest(t.app.url, 'northw');
      expect(stuck).toMatchObject({ status: 200, options: [] });
      expect(stuck.ms).toBeGreaterThanOrEqual(LEAD_SEARCH_BUDGET_MS - 100);
      expect(stuck.ms).toBeLessThan(2_900);
    } finally {
      await lock.release();
    }
    const found = await suggest(t.app.url, 'northw');
    expect(found.options).toHaveLength(1);
  });
});
