// An amount as people type it — in the tenant's locale, with its grouping
// (`62,40,000` in en-IN, `6,240,000`, `62 40 000`, `6.240.000,50` in de-DE), a currency
// sign or none — read to the exact number, or refused saying why. Shared by the app's
// forms (which send numbers: the API keeps refusing strings) and anything else that
// reads typed amounts.

export type AmountText = { value: number } | { error: string };

/** The locale's decimal and grouping marks (`.` and `,` for en-IN; `,` and `.` for de-DE). */
export function numberMarks(locale: string): { decimal: string; group: string } {
  let parts: Intl.NumberFormatPart[];
  try {
    parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  } catch {
    parts = new Intl.NumberFormat('en-IN').formatToParts(1234567.5);
  }
  return { decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.', group: parts.find((p) => p.type === 'group')?.value ?? ',' };
}

const SPACES = /[\s\u00a0\u202f\u2009]/g;

/** Read a typed amount: grouping and a currency sign allowed, at most 2 decimals, not negative. */
export function readAmount(text: string, locale: string): AmountText {
  const { decimal, group } = numberMarks(locale);
  let t = text.trim().replace(/^\p{Sc}|\p{Sc}$/gu, '').replace(/^(Rs\.?|INR)\s*/i, '').trim();
  if (t === '') return { error: 'is required' };
  if (t.startsWith('-') || t.startsWith('−')) return { error: 'must not be negative' };
  // Grouping: the locale's mark, and spaces of any kind; with `.` for decimals a `,` groups too (and the other way round).
  const other = decimal === '.' ? ',' : '.';
  t = t.replace(SPACES, '');
  const marks = new Set([group.replace(SPACES, ''), other].filter(Boolean));
  for (const m of marks) t = t.split(m).join(m === decimal ? m : '');
  if (decimal !== '.') t = t.replace(decimal, '.');
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return { error: `must be an amount, such as ${new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(6240000)}` };
  const decimals = m[2]?.length ?? 0;
  if (decimals > 2) return { error: `has ${decimals} decimals: amounts are kept to 2 (the paisa or cent)` };
  const value = Number(t);
  if (!Number.isFinite(value) || value >= 1e12) return { error: 'must be less than 1000000000000' };
  return { value };
}
