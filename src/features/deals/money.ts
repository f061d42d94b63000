const DECIMAL = /^\d+(?:\.(\d+))?$/;

/**
 * An amount as people read it in its currency: `$48,000`, `€12,500`, `¥1,000,000`, `$1,234.50`. Whole amounts show
 * no decimals; others the currency's usual minor digits. `amount` is a numeric column (a string from both drivers)
 * or a number; a decimal string is formatted exactly, without a round trip through floating point.
 */
export function formatMoney(amount: string | number, currency: string): string {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const match = DECIMAL.exec(text);
  const whole = match ? /^0*$/.test(match[1] ?? '') : Number.isInteger(Number(text));
  const value = match ? (text as `${number}`) : Number(text);
  try {
    const format = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
    });
    return format.format(value);
  } catch {
    // A code Intl does not know (the schema accepts only codes it does, but rows outlive runtimes): still readable.
    return `${text} ${currency}`;
  }
}
