// A call's length as people say it — "5" (minutes), "5:30", "1:05:00", "90s",
// "2m 30s" — kept in seconds and shown back the same way ("5 min 30 s").

/** Seconds from a typed duration, or why it cannot be read. A bare number is minutes. */
export function readDuration(text: string): { seconds: number } | { error: string } {
  const t = text.trim().toLowerCase();
  const bad = { error: 'must be minutes (5), minutes and seconds (5:30), or with units (2m 30s)' };
  let m: RegExpExecArray | null;
  if ((m = /^(\d{1,4})$/.exec(t))) return { seconds: Number(m[1]) * 60 };
  if ((m = /^(\d{1,4})[.,](\d{1,2})$/.exec(t))) return { seconds: Math.round(Number(`${m[1]}.${m[2]}`) * 60) };
  if ((m = /^(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)$/.exec(t))) return { seconds: Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) };
  if ((m = /^(?:(\d{1,2})\s*h(?:ours?|rs?)?)?\s*(?:(\d{1,4})\s*m(?:in(?:utes?|s)?)?)?\s*(?:(\d{1,5})\s*s(?:ec(?:onds?|s)?)?)?$/.exec(t)) && (m[1] || m[2] || m[3])) {
    return { seconds: Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) };
  }
  return bad;
}

/** A length in seconds for reading: `45 s`, `5 min`, `5 min 30 s`, `1 h 5 min`. */
export function durationText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const min = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h} h${min ? ` ${min} min` : ''}`;
  if (min) return `${min} min${sec ? ` ${sec} s` : ''}`;
  return `${sec} s`;
}
