/** SPEC §3: a name as stored and matched — runs of white space made one space, ends trimmed. */
export const tidyName = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Words spelled as their makers spell them, wherever they fall in a label (`whatsapp` → WhatsApp, `sms_sent` → SMS sent). */
const SPELLED: Record<string, string> = { sms: 'SMS', whatsapp: 'WhatsApp', roi: 'ROI', emi: 'EMI', bhk: 'BHK', pdf: 'PDF', csv: 'CSV', url: 'URL' };

/** A stored value (`site_visit`) as the app shows it (`Site visit`); a dash for none (issue 18). */
export const label = (value: string | null | undefined) =>
  value ? value.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()).replace(/\b[A-Za-z]+\b/g, (w) => SPELLED[w.toLowerCase()] ?? w) : '—';
