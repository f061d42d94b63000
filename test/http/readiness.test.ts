import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../support/databases.js';

describe.each(DATABASE_KINDS)('readiness on %s', (kind) => {
  const t = useTestApp(kind, { scope: 'file' });

  it('is ready while the database answers and not once it is gone, while staying healthy', async () => {
    expect((await fetch(`${t.app.url}/readyz`)).status).toBe(200);
    await t.app.tandem.database.close();
    const ready = await fetch(`${t.app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, database: 'down' });
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
  });
});
