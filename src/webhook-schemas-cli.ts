import { writeFileSync } from 'node:fs';
import { webhookJsonSchemas } from './webhook-schemas.js';

/** `npm run schemas`: writes schemas/<name>.json from the zod schemas. A test fails when they drift. */
for (const [name, schema] of Object.entries(webhookJsonSchemas())) {
  writeFileSync(new URL(`../schemas/${name}.json`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
}
