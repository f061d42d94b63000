import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/slack/kit/index.js';

describe('formatMoney', () => {
  it('shows whole amounts without decimals in their currency', () => {
    expect(formatMoney(48000, 'USD')).toBe('$48,000');
    expect(formatMoney(12500, 'EUR')).toBe('€12,500');
    expect(formatMoney(1_000_000, 'JPY')).toBe('¥1,000,000');
    expect(formatMoney(0, 'USD')).toBe('$0');
  });

  it('reads the numeric column as both drivers return it, a string with cents', () => {
    expect(formatMoney('48000.00', 'USD')).toBe('$48,000');
    expect(formatMoney('12500.00', 'EUR')).toBe('€12,500');
    expect(formatMoney('1000000.00', 'JPY')).toBe('¥1,000,000');
  });

  it("shows cents when there are any, with the currency's minor digits", () => {
    expect(formatMoney('1234.50', 'USD')).toBe('$1,234.50');
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
    expect(formatMoney('0.05', 'GBP')).toBe('£0.05');
    expect(formatMoney('99.99', 'EUR')).toBe('€99.99');
  });

  it('formats the largest amounts exactly, without floating-point drift', () => {
    expect(formatMoney('9999999999999.99', 'USD')).toBe('$9,999,999,999,999.99');
    expect(formatMoney('10000000000000.00', 'USD')).toBe('$10,000,000,000,000');
  });

  it('falls back to the number and code for a currency Intl does not know', () => {
    expect(formatMoney('5.00', 'ZZ')).toBe('5.00 ZZ');
  });
});
