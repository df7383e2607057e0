import { useSession } from './store/session.js';
import { roiText } from '../db/values/names.js';
import { countryOfLocale, phoneText } from '../main/domain/phone.js';

// Money in the tenant's locale and currency (₹5,00,000.00 for en-IN/INR); business
// dates as calendar dates; timestamps in the tenant's time zone.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

const tenant = () => useSession.getState().me?.tenant ?? { locale: 'en-IN', currency: 'INR', timezone: 'UTC' };

export function money(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const { locale, currency } = tenant();
  return cached(`m|${locale}|${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(amount);
}

/** Money for a chart's axis: the tenant's grouping and currency, compact (₹12L, ₹1.5Cr in en-IN). */
export function moneyShort(amount: number): string {
  const { locale, currency } = tenant();
  return cached(`ms|${locale}|${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 })).format(amount);
}

export function number(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return '—';
  const { locale } = tenant();
  return cached(`n|${locale}|${digits}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: digits })).format(n);
}

export const percent = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${number(n, 2)}%`);

/** A calendar date (YYYY-MM-DD) for reading: it is a day, not an instant, so no zone shift. */
export function day(date: string | null | undefined): string {
  if (!date) return '—';
  const { locale } = tenant();
  return cached(`d|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })).format(new Date(`${date}T00:00:00Z`));
}

/** An instant (ISO timestamp) in the tenant's time zone. */
export function instant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const { locale, timezone } = tenant();
  return cached(`t|${locale}|${timezone}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone })).format(new Date(iso));
}

/** Today in the tenant's time zone, as YYYY-MM-DD. */
export function today(): string {
  const { timezone } = tenant();
  return cached(`today|${timezone}`, () => new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(new Date());
}

export { label } from '../db/values/names.js';

/** A return on investment: a percentage, or a multiple of the budget when large (`1,077.5×`). */
export const roi = (percent: number | null | undefined) => roiText(percent, tenant().locale);

/** A phone number as stored (E.164) for reading: national for the tenant's country (98450 12345), else international. */
export const phone = (stored: string | null | undefined) => phoneText(stored, countryOfLocale(tenant().locale)) || '—';
