import fc from 'fast-check';

/**
 * fast-check arbitraries for outside text as the webhook and modal schemas accept it: up to their maximum
 * lengths, and heavy in what grows or breaks mrkdwn (`&` escapes to five characters, `<` starts a mention, `|`
 * ends a link label, emoji are two UTF-16 units, newlines become quote markers).
 */

const PIECES = [
  '&',
  '<',
  '>',
  '|',
  '*',
  '_',
  '`',
  '~',
  '\n',
  ' ',
  'a',
  'Z',
  'é',
  '😀',
  '👩‍💻',
  '<!channel>',
  '&amp;',
  ':',
];

/** Cuts to `max` UTF-16 units without leaving half an emoji, as a valid JSON string would be. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

/** The schemas trim, and required text is never empty. */
const tidy = (text: string) => text.trim() || 'x';

/** Text of at most `max` characters: random mixes, and ones filled to the limit with the worst characters. */
export function outsideText(max: number): fc.Arbitrary<string> {
  const filled = fc.constantFrom('&', '<', '😀', 'x', '|', '&\n').map((p) => tidy(cut(p.repeat(max), max)));
  const mixed = fc
    .tuple(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max }))
    .map(([pieces, times]) => tidy(cut(pieces.join('').repeat(Math.ceil(times / pieces.length)), max)));
  return fc.oneof({ weight: 1, arbitrary: filled }, { weight: 3, arbitrary: mixed });
}

export const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
export const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** An http(s) URL up to the schemas' 2000 characters, with query strings full of `&` and other odd characters. */
export const outsideUrl: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('https://crm.example.com/', 'http://x.io/a?'), fc.constantFrom('a', 'b=1&c=2', '%7C', '|'))
  .chain(([base, part]) =>
    fc.integer({ min: 0, max: 2000 - base.length }).map((n) => base + cut(part.repeat(Math.ceil(n / part.length)), n)),
  );

/** An email up to 320 characters, as z.email accepts. */
export const outsideEmail: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 240 }))
  .map(([local, domain]) => `${"o'".repeat(local).slice(0, local)}@${'d'.repeat(domain)}.example`);

export const slackUserId = fc.constantFrom('U0123ABCD', 'W9ZZZZZZZZZZ');
export const date = fc.date({
  noInvalidDate: true,
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2099-12-31T00:00:00Z'),
});
export const uuid = fc.uuid();
export const currency = fc.constantFrom('USD', 'EUR', 'JPY', 'BHD', 'CLF', 'XAU', 'GBP', 'CHF', 'INR', 'KWD', 'XDR');
/** numeric(16,2) as both drivers return it. */
export const amount = fc
  .tuple(fc.integer({ min: 0, max: 9_999_999_999_999 }), fc.integer({ min: 0, max: 99 }))
  .map(([units, cents]) => `${units}.${String(cents).padStart(2, '0')}`);
