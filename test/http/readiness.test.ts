import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { FakeSlack } from '../support/fake-slack.js';
import { startTestApp, type TestApp } from '../support/harness.js';

describe.each(DATABASE_KINDS)('readiness on %s', (kind) => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    database = await createTestDatabase(kind);
    app = await startTestApp(slack, database);
  });
  afterAll(async () => {
    await app.stop();
    await database.drop();
    await slack.stop();
  });

  it('is ready while the database answers and not once it is gone, while staying healthy', async () => {
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    await app.tandem.deps.database.close();
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, database: 'down' });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
