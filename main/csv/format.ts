// A CSV's delimiter and decimal separator by locale. Kept free of Node so the
// renderer's export dialog shows the same default the writer uses.

/** How cells are separated and how decimals are written. */
export interface CsvFormat {
  delimiter: ',' | ';';
  decimal: '.' | ',';
}
export const RFC_4180: CsvFormat = { delimiter: ',', decimal: '.' };
export const DELIMITERS = [',', ';'] as const;

/** The locale's decimal separator, as `Intl` writes 1.5 there. */
export function decimalSeparatorOf(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/**
 * The format for a locale: `;` and decimal commas where the decimal separator is a
 * comma, RFC 4180 elsewhere. A delimiter asked for wins; decimals are written with a
 * comma only in a `;` file, so numbers in a comma-separated file stay unquoted.
 */
export function csvFormatFor(locale: string, delimiter?: CsvFormat['delimiter']): CsvFormat {
  const decimalComma = decimalSeparatorOf(locale) === ',';
  const chosen = delimiter ?? (decimalComma ? ';' : ',');
  return { delimiter: chosen, decimal: decimalComma && chosen === ';' ? ',' : '.' };
}
