import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');
const major = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

describe('the runtime', () => {
  const engines = JSON.parse(read('package.json')).engines.node as string;
  const minimum = major(/>=\s*(\d+)/.exec(engines)?.[1] ?? '0');

  it('is a supported Node.js line: 22 or later, as package.json declares', () => {
    // Node 20 is past its end of life and kysely declares node >= 22.
    expect(minimum).toBeGreaterThanOrEqual(22);
    expect(major(process.version)).toBeGreaterThanOrEqual(minimum);
  });

  it('is what the image ships, slim', () => {
    const images = [...read('Dockerfile').matchAll(/^FROM\s+node:(\d+)-([\w-]+)/gm)];
    expect(images.length).toBeGreaterThan(0);
    for (const [, version, variant] of images) {
      expect(major(version as string)).toBeGreaterThanOrEqual(24);
      expect(variant).toMatch(/slim$/);
    }
  });
});
