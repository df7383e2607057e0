/** SPEC §3: a name as stored and matched — runs of white space made one space, ends trimmed. */
export const tidyName = (s: string) => s.replace(/\s+/g, ' ').trim();
