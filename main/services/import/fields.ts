import { z } from 'zod';
import { isLocalDate } from '../../../db/values/dates.js';
import { flag, text } from '../../domain/validation.js';

// What an import file's columns may be: the lead fields, the headers a spreadsheet is
// likely to give each, the request's schema, and the readings of a cell that are the
// import's own (a date in the locale's order, a campaign code from a name).

export const IMPORT_FIELDS = [
  'id', 'lead_code', 'name', 'email', 'phone', 'company', 'source', 'source_name', 'source_type', 'campaign', 'campaign_code', 'campaign_name',
  'campaign_type', 'assigned_to', 'status', 'reached_rank', 'lead_date', 'lost_reason', 'notes',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const DUPLICATE_ACTIONS = ['skip', 'merge', 'keep'] as const;
export type DuplicateAction = (typeof DUPLICATE_ACTIONS)[number];
export type DuplicateKind = 'id' | 'phone' | 'email' | 'name_company';

const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 200_000;

// Headers a spreadsheet is likely to have for each field (compared lower-case, with
// `_` and `-` read as spaces); the export's own column names come first.
const ALIASES: Record<ImportField, string[]> = {
  id: ['id', 'lead id'],
  lead_code: ['lead code', 'code', 'lead no', 'lead number'],
  name: ['name', 'full name', 'lead name', 'contact name', 'customer name', 'contact'],
  email: ['email', 'e mail', 'email address', 'mail'],
  phone: ['phone', 'mobile', 'phone number', 'mobile number', 'telephone', 'contact number', 'cell', 'whatsapp'],
  company: ['company', 'company name', 'organisation', 'organization', 'employer'],
  // A source and a campaign by id, code or name (a leads export of one branch names them all three ways).
  source: ['source id', 'source', 'lead source'],
  source_name: ['source name'],
  source_type: ['source type'],
  campaign: ['campaign id', 'campaign'],
  campaign_code: ['campaign code'],
  campaign_name: ['campaign name'],
  campaign_type: ['campaign type'],
  assigned_to: ['assigned to', 'owner', 'sales rep', 'rep', 'assignee'],
  status: ['status', 'stage', 'lead status'],
  reached_rank: ['reached rank'],
  lead_date: ['lead date', 'date', 'enquiry date', 'inquiry date', 'created on'],
  lost_reason: ['lost reason', 'reason lost'],
  notes: ['notes', 'note', 'comments', 'remarks'],
};

const headerKey = (h: string) => h.trim().toLowerCase().replace(/[_\-\s]+/g, ' ');

export const importInput = z.strictObject({
  file_name: text(255),
  /** The file's bytes in base64. */
  data_base64: z.string({ error: 'must be the file in base64' }).max(Math.ceil((MAX_FILE_BYTES * 4) / 3) + 64, { error: 'must be at most 50 MB' }),
  /** Column header → lead field (or `ignore`); suggested from the headers when absent. */
  mapping: z.record(z.string().max(200), z.enum([...IMPORT_FIELDS, 'ignore'], { error: `must be one of: ${IMPORT_FIELDS.join(', ')}, ignore` })).optional(),
  /** What to do with a duplicate row unless `decisions` says otherwise. */
  on_duplicate: z.enum(DUPLICATE_ACTIONS, { error: 'must be skip, merge or keep' }).optional(),
  /** Create the sources and campaigns the file names that this tenant does not have (listed by the preview), ids kept where free. */
  create_missing: flag().optional(),
  /** Rows assigned to someone who is not an active user here are imported unassigned (the names listed by the preview), not refused. */
  unassign_unknown: flag().optional(),
  /** Per row (its line number in the file), what to do with that duplicate. */
  decisions: z.record(z.string().regex(/^\d{1,7}$/, { error: 'must be a row number' }), z.enum(DUPLICATE_ACTIONS, { error: 'must be skip, merge or keep' })).optional(),
});
export type ImportInput = z.output<typeof importInput>;

/** Each column's field by its header: the first field whose aliases name it, each field once. */
export function suggestMapping(columns: string[]): Record<string, ImportField | 'ignore'> {
  const used = new Set<ImportField>();
  return Object.fromEntries(columns.map((c) => {
    const key = headerKey(c);
    const field = IMPORT_FIELDS.find((f) => !used.has(f) && (headerKey(f) === key || ALIASES[f].includes(key)));
    if (field) used.add(field);
    return [c, field ?? 'ignore'];
  }));
}

/** A date as YYYY-MM-DD from YYYY-MM-DD or, in the locale's order, D/M/YYYY or M/D/YYYY. */
export function localDateFrom(value: string, monthFirst: boolean): string | null {
  if (isLocalDate(value)) return value;
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (!match) return null;
  const [a, b, year] = [Number(match[1]), Number(match[2]), match[3]!];
  const [month, day] = monthFirst ? [a, b] : [b, a];
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isLocalDate(iso) ? iso : null;
}

/** A campaign code made from a name a file gives alone (`Diwali expo 2026` → `DIWALI-EXPO-2026`). */
export const codeFromName = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 64) || 'IMPORTED';
