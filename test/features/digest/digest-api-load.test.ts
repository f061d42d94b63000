import { describe, expect, it } from 'vitest';
import { DIGEST_API_WAIT_MS } from '../../../src/features/digest/routes.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { DIGEST_API_TOKEN } from '../../support/harness.js';
import { holdTableLock } from '../../support/table-lock.js';

const YEAR = '?from=2025-11-23T00:00:00Z&to=2026-11-23T00:00:00Z';

/** GET /api/digest as a BI tool would, with when it answered. */
async function getDigest(appUrl: string) {
  const started = Date.now();
  const res = await fetch(`${appUrl}/api/digest${YEAR}`, { headers: { authorization: `Bearer ${DIGEST_API_TOKEN}` } });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body, retryAfter: res.headers.get('retry-after'), ms: Date.now() - started };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DATABASE_KINDS)('a burst of digest requests on %s', (kind) => {
  const t = useTestApp(kind);

  it('computes one at a time: a second caller waits briefly, then is told to come back', async () => {
    const lock = await holdTableLock(t.app.tandem.deps.db, 'handoffs');
    const first = getDigest(t.app.url);
    await sleep(200);
    const second = await getDigest(t.app.url);
    expect(second).toMatchObject({ status: 503, body: { ok: false, error: 'busy' }, retryAfter: '5' });
    expect(second.ms).toBeGreaterThanOrEqual(DIGEST_API_WAIT_MS - 100);
    // Routes that need no digest are still served while one runs.
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    await lock.release();
    expect(await first).toMatchObject({ status: 200, body: { totals: { handoffs: 0 } } });
  });

  it('lets a waiting caller through when the running one finishes in time', async () => {
    const lock = await holdTableLock(t.app.tandem.deps.db, 'handoffs');
    const first = getDigest(t.app.url);
    await sleep(200);
    const second = getDigest(t.app.url);
    await sleep(300);
    await lock.release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('a digest that runs too long on postgres', () => {
  const t = useTestApp('postgres', { env: { DIGEST_API_TIMEOUT_SECONDS: '0.5' } });

  it('is cancelled by the database after DIGEST_API_TIMEOUT_SECONDS and answered 503', async () => {
    const lock = await holdTableLock(t.app.tandem.deps.db, 'handoffs');
    try {
      const res = await getDigest(t.app.url);
      expect(res).toMatchObject({ status: 503, body: { ok: false, error: 'timeout' }, retryAfter: '5' });
      expect(res.ms).toBeLessThan(3_000);
    } finally {
      await lock.release();
    }
    expect((await getDigest(t.app.url)).status).toBe(200);
  });
});
