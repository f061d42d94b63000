import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { webhookJsonSchemas } from '../../src/webhook-schemas.js';

describe('published JSON Schema', () => {
  it.each(Object.entries(webhookJsonSchemas()))(
    'schemas/%s.json matches the zod schema (run npm run schemas)',
    (name, schema) => {
      const published = JSON.parse(readFileSync(new URL(`../../schemas/${name}.json`, import.meta.url), 'utf8'));
      expect(published).toEqual(schema);
    },
  );

  it('requires what the contract requires', () => {
    const deal = webhookJsonSchemas()['deal-closed'] as {
      required: string[];
      properties: { deal: { required: string[] } };
    };
    expect(deal.required.sort()).toEqual(['deal', 'event_id']);
    expect(deal.properties.deal.required.sort()).toEqual(['amount', 'id', 'name', 'owner']);
  });
});
