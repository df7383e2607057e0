import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

// One reading of phone numbers for every path — the forms, the API, the
// import, the demo — so a caller is found however their number was typed. A number is
// stored in E.164 (+919845012345), read with the tenant's country when it has no
// country code, shown in that country's national format (98450 12345) and others
// internationally (+44 20 7946 0958), and refused when it cannot be a number there.

/** The tenant's country for phone numbers written without one (en-IN → IN). */
export function countryOfLocale(locale: string): CountryCode | undefined {
  try {
    return new Intl.Locale(locale).maximize().region as CountryCode | undefined;
  } catch {
    return undefined;
  }
}

const countryName = (country: CountryCode) => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(country) ?? country;
  } catch {
    return country;
  }
};

/** A typed phone number as stored (E.164), or why it cannot be one, in words for the field. */
export function readPhone(text: string, country: CountryCode | undefined): { e164: string } | { error: string } {
  const typed = text.trim();
  const p = /\d/.test(typed) ? parsePhoneNumberFromString(typed, country) : undefined;
  if (p?.isValid()) return { e164: p.number };
  const where = country ? `${countryName(country)} (${country})` : 'its country';
  const digits = typed.replace(/\D/g, '').length;
  const code = country ? `+${getCountryCallingCode(country)}` : '+44';
  return {
    error: `“${typed}” is not a possible phone number for ${where}${digits ? ` (${digits} digit${digits === 1 ? '' : 's'})` : ''}: type it as it is dialled there, or with its country code (${code} …)`,
  };
}

/** A phone number as stored (E.164), or null when it cannot be read (kept as typed). */
export function e164(text: string, country: CountryCode | undefined): string | null {
  const read = readPhone(text, country);
  return 'e164' in read ? read.e164 : null;
}

/**
 * A stored number for reading: the tenant's country's numbers in its national format
 * without the trunk prefix (98450 12345), others international (+44 20 7946 0958); a
 * number that cannot be read, as it was typed.
 */
export function phoneText(stored: string | null | undefined, country: CountryCode | undefined): string {
  if (!stored) return '';
  const p = parsePhoneNumberFromString(stored, country);
  if (!p?.isValid()) return stored;
  return country && p.country === country ? p.format('NATIONAL', { nationalPrefix: false }) : p.formatInternational();
}

/**
 * The digits a search for a phone number looks for, whatever was typed (`98450 12345`,
 * `+91-98450-12345`, `098450 12345`), or null when the search is not a phone number.
 * Matched against the stored numbers with their spaces and signs left out.
 */
export function phoneSearchDigits(search: string, country: CountryCode | undefined): string | null {
  const s = search.trim();
  if (!/^[\d\s()+.\-/]+$/.test(s)) return null;
  const digits = s.replace(/\D/g, '');
  if (digits.length < 3) return null;
  // A whole number typed with its trunk prefix or country code: its national digits, as stored after the country code.
  const p = parsePhoneNumberFromString(s, country);
  return p?.isValid() ? String(p.nationalNumber) : digits;
}

/** SQL for a phone column with spaces and signs left out (numbers kept as typed match too). */
export const digitsOf = (column: string) => `replace(replace(replace(replace(replace(replace(${column}, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '')`;

/**
 * SQL: the phone column holds the digits of the named parameter (`%digits%`). A number in
 * E.164 is its digits already; only one kept as typed long ago is stripped first.
 */
export const phoneHasDigits = (column: string, param: string) => `(${column} LIKE ${param} OR (substr(${column}, 1, 1) <> '+' AND ${digitsOf(column)} LIKE ${param}))`;
