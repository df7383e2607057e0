// SPEC §2: money is integer minor units inside, decimals with at most 2 places outside.

export const MINOR_PER_UNIT = 100;

/** A decimal amount with at most two decimals to minor units, or null when it has more. */
export function toMinor(amount: number): number | null {
  if (!Number.isFinite(amount)) return null;
  const scaled = amount * MINOR_PER_UNIT;
  const minor = Math.round(scaled);
  // 1234.56 * 100 = 123456.00000000001: tolerate float noise (a few units in the last
  // place), refuse a real third decimal at any size (124800.005 is not 124800.01).
  if (Math.abs(scaled - minor) > 1e-9 * Math.max(1, Math.abs(scaled))) return null;
  if (!Number.isSafeInteger(minor)) return null;
  return minor;
}

export function fromMinor(minor: number): number {
  return minor / MINOR_PER_UNIT;
}

/** Minor units as a decimal string with exactly two places, exact for any safe integer. */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const units = Math.floor(abs / MINOR_PER_UNIT);
  const cents = abs % MINOR_PER_UNIT;
  return `${sign}${units}.${String(cents).padStart(2, '0')}`;
}

/** round(100 × a / b, 2), half up, exact on integers; 0 when b = 0 (SPEC §5). */
export function percent(a: number, b: number): number {
  return ratio(100 * a, b);
}

/** round(a / b, 2), half away from zero, exact on integers; 0 when b = 0. */
export function ratio(a: number, b: number): number {
  if (b === 0) return 0;
  const negative = a < 0 !== b < 0;
  const num = Math.abs(a) * 100;
  const den = Math.abs(b);
  const hundredths = Math.floor((2 * num + den) / (2 * den));
  return ((negative ? -1 : 1) * hundredths) / 100;
}

/** The mean of a minor-unit total over a count, rounded to whole minor units. */
export function averageMinor(totalMinor: number, count: number): number {
  if (count === 0) return 0;
  return Math.sign(totalMinor) * Math.floor((2 * Math.abs(totalMinor) + count) / (2 * count));
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
/** An amount (minor units) as the tenant writes money: its locale's grouping and its currency (₹1,00,000.00 for en-IN, INR). */
export function moneyText(settings: { locale: string; currency: string }, minor: number): string {
  const key = `${settings.locale}|${settings.currency}`;
  let f = moneyFormats.get(key);
  if (!f) moneyFormats.set(key, (f = new Intl.NumberFormat(settings.locale, { style: 'currency', currency: settings.currency, minimumFractionDigits: 2, maximumFractionDigits: 2 })));
  return f.format(fromMinor(minor));
}
