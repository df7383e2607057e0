/** SPEC §3: a name as stored and matched — runs of white space made one space, ends trimmed. */
export const tidyName = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Words spelled as their makers spell them, wherever they fall in a label (`whatsapp` → WhatsApp, `sms_sent` → SMS sent). */
const SPELLED: Record<string, string> = { sms: 'SMS', whatsapp: 'WhatsApp', roi: 'ROI', emi: 'EMI', bhk: 'BHK', pdf: 'PDF', csv: 'CSV', url: 'URL' };

/** A stored value (`site_visit`) as the app shows it (`Site visit`); a dash for none. */
export const label = (value: string | null | undefined) =>
  value ? value.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()).replace(/\b[A-Za-z]+\b/g, (w) => SPELLED[w.toLowerCase()] ?? w) : '—';

/**
 * A return on investment for reading ("1,07,751.5%" is not read at a glance):
 * a percentage throughout — one decimal up to 999.9%, whole beyond (`12,050%`), in the
 * locale's grouping. The exact figure stays in the files and the cell's title.
 */
export function roiText(percent: number | null | undefined, locale = 'en-IN'): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return '—';
  const digits = Math.abs(percent) < 1000 ? 1 : 0;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(percent)}%`;
}
