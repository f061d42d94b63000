import { describe, expect, it } from 'vitest';
import { csvField, digestCsv } from '../../../src/features/digest/csv.js';
import type { Digest, DigestCampaign, DigestFigures } from '../../../src/features/digest/queries.js';
import { useTestApp } from '../../support/app-lifecycle.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { DIGEST_API_TOKEN } from '../../support/harness.js';
import { EXPECTED_DIGEST, FROM, seedDigestWorld, TO } from './digest-world.js';

/** RFC 4180 read strictly: CRLF records, quoted fields with doubled quotes; fails on anything else. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"' && text[i + 1] === '"') field += text[i++];
        else if (text[i] === '"') break;
        else field += text[i];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${text[i]} at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`unexpected ${text[i]} at ${i}`);
  }
  return rows;
}

const FIGURES = ['handoffs', 'accepted', 'rejected', 'pending', 'acceptance_rate', 'feedback_count', 'avg_rating'];

/** The JSON again from the CSV's records, as a spreadsheet user would read the columns. */
function digestFromCsv(rows: string[][]): Digest {
  const [header = [], ...records] = rows;
  const objects = records.map((record) => Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])));
  const number = (text: string | undefined) => (text === '' || text === undefined ? null : Number(text));
  const figures = (o: Record<string, string>): DigestFigures => {
    const revenue = Object.fromEntries(
      Object.entries(o)
        .filter(([name, value]) => name.startsWith('revenue_') && value !== '')
        .map(([name, value]) => [name.slice('revenue_'.length), Number(value)]),
    );
    const f = Object.fromEntries([...FIGURES, 'sales_ready_rate'].map((name) => [name, number(o[name])]));
    return { ...f, deals_won: Number(o.deals_won), deals_lost: Number(o.deals_lost), revenue } as DigestFigures;
  };
  const total = objects.find((o) => o.row === 'total') ?? {};
  return {
    from: String(total.from),
    to: String(total.to),
    campaigns: objects
      .filter((o) => o.row === 'campaign')
      .map(
        (o): DigestCampaign => ({
          campaign_id: o.campaign_id || null,
          // The apostrophe that kept a formula from running is not part of the name.
          campaign_name: o.campaign_name?.replace(/^'(?=[=+\-@\t\r])/, '') || null,
          ...figures(o),
          top_reject_reasons: (o.top_reject_reasons ?? '')
            .split('; ')
            .filter(Boolean)
            .map((item) => {
              const [, reason = '', count = ''] = /^(.*) \((\d+)\)$/.exec(item) ?? [];
              return { reason, count: Number(count) };
            }),
        }),
      ),
    totals: figures(total),
    sla_breaches: Number(total.sla_breaches),
  };
}

describe('the digest as CSV', () => {
  it('quotes what RFC 4180 says to quote, and nothing else', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.3333333333333333)).toBe('0.3333333333333333');
  });

  it('keeps a spreadsheet from running a campaign name as a formula', () => {
    for (const evil of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=1']) {
      const field = csvField(evil);
      expect(field.replace(/^"/, ''), evil).toMatch(/^'/);
    }
    expect(csvField('Q4 = good')).toBe('Q4 = good');
    const campaign: DigestCampaign = {
      ...EXPECTED_DIGEST.campaigns[0],
      campaign_name: '=cmd|"/c calc"!A1',
    } as DigestCampaign;
    const rows = parseCsv(digestCsv({ ...EXPECTED_DIGEST, campaigns: [campaign] }));
    expect(rows[1]?.[2]).toBe(`'=cmd|"/c calc"!A1`);
  });

  it('has a header, one row per campaign, the totals, and one revenue column per currency', () => {
    const rows = parseCsv(digestCsv(EXPECTED_DIGEST));
    expect(rows[0]?.slice(0, 4)).toEqual(['row', 'campaign_id', 'campaign_name', 'handoffs']);
    expect(rows[0]?.filter((name) => name.startsWith('revenue_'))).toEqual(['revenue_EUR', 'revenue_USD']);
    expect(rows.map((row) => row[0])).toEqual(['row', ...EXPECTED_DIGEST.campaigns.map(() => 'campaign'), 'total']);
    expect(new Set(rows.map((row) => row.length)).size).toBe(1);
  });
});

describe.each(DATABASE_KINDS)('GET /api/digest as CSV on %s', (kind) => {
  const t = useTestApp(kind);
  const period = `from=${FROM.toISOString()}&to=${TO.toISOString()}`;
  const get = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${t.app.url}/api/digest?${query}`, { headers: { authorization: `Bearer ${DIGEST_API_TOKEN}`, ...headers } });

  it('gives a spreadsheet the same figures as the JSON, with format=csv or Accept: text/csv', async () => {
    await seedDigestWorld(t.app.tandem.deps.db);
    // A name a spreadsheet would run, with a comma and quotes to quote besides.
    const evil = '=HYPERLINK("http://evil.example", "Partner, referral")';
    await t.app.tandem.deps.db.updateTable('campaigns').set({ name: evil }).where('crm_id', '=', 'CMP-D').execute();
    const json = (await (await get(period)).json()) as Digest;
    expect(json.campaigns.map((c) => c.campaign_name)).toContain(evil);
    for (const res of [await get(`${period}&format=csv`), await get(period, { accept: 'text/csv' })]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      const rows = parseCsv(await res.text());
      expect(rows.flat()).toContain(`'${evil}`);
      expect(digestFromCsv(rows)).toEqual(json);
    }
    const forced = await get(`${period}&format=json`, { accept: 'text/csv' });
    expect(forced.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await get(`${period}&format=xml`)).status).toBe(400);
  });
});
