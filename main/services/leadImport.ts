import type { CountryCode } from 'libphonenumber-js';
import { countryOfLocale, e164, readPhone } from '../domain/phone.js';
import { z } from 'zod';
import { statement } from '../../db/statements.js';
import { leadStatuses, stageRank, type LeadStatus } from '../../db/schema/enums.js';
import { today, type ServiceContext } from '../domain/context.js';
import { isLocalDate } from '../domain/dates.js';
import { AppError, validationError } from '../domain/errors.js';
import { CLIENT_ID_RE, flag, parseInput, recordId, text } from '../domain/validation.js';
import { campaignTypes, sourceTypes } from '../../db/schema/enums.js';
import { campaignService, leadSourceService } from './catalog.js';
import { createLeadsInBulk, leadService } from './leads.js';
import { inTransaction } from './records.js';
import { rowsOf, type Table } from './importFile.js';
import { holdImport, previewTurn, readTableOffThread } from './importReader.js';

// Issue 8 lead import: a CSV or Excel (.xlsx) file, its columns mapped onto lead
// fields, each row checked (phones to E.164 with the tenant's country), duplicates
// found against the tenant's leads and within the file (same phone, same email, or
// same name and company) for the user to skip, merge or keep. A preview writes
// nothing; the import itself writes the rows the preview called good, in order,
// a chunk per transaction, so its progress can be shown and a re-run after a
// failure skips what was already written (the duplicates of it).

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
const CHUNK = 5_000;
/** Rows checked between two turns of the event loop (≈ 40 ms of work). */
const YIELD_EVERY = 1_000;

// Headers a spreadsheet is likely to have for each field (compared lower-case, with
// `_` and `-` read as spaces); the export's own column names come first.
const ALIASES: Record<ImportField, string[]> = {
  id: ['id', 'lead id'],
  lead_code: ['lead code', 'code', 'lead no', 'lead number'],
  name: ['name', 'full name', 'lead name', 'contact name', 'customer name', 'contact'],
  email: ['email', 'e mail', 'email address', 'mail'],
  phone: ['phone', 'mobile', 'phone number', 'mobile number', 'telephone', 'contact number', 'cell', 'whatsapp'],
  company: ['company', 'company name', 'organisation', 'organization', 'employer'],
  // A source and a campaign by id, code or name (issue 18: a leads export of one branch names them all three ways).
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

async function readTable(fileName: string, base64: string): Promise<Table> {
  const table = await readTableOffThread(Buffer.from(base64, 'base64'), fileName);
  if (!table.columns.some((c) => c.trim())) throw validationError('data_base64', 'has no header row');
  const seen = new Set<string>();
  for (const c of table.columns) {
    if (c && seen.has(c)) throw validationError('data_base64', `has the column "${c}" twice`);
    seen.add(c);
  }
  return table;
}

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
function localDateFrom(value: string, monthFirst: boolean): string | null {
  if (isLocalDate(value)) return value;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (!m) return null;
  const [a, b, year] = [Number(m[1]), Number(m[2]), m[3]!];
  const [month, day] = monthFirst ? [a, b] : [b, a];
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isLocalDate(iso) ? iso : null;
}

export interface RowError {
  row: number;
  field: string;
  message: string;
}

export interface Duplicate {
  row: number;
  name: string;
  kind: DuplicateKind;
  /** The existing lead it matches, or the earlier row of the file. */
  lead_id: string | null;
  lead_name: string | null;
  file_row: number | null;
  action: DuplicateAction;
}

interface Candidate {
  row: number;
  lead: Record<string, unknown>;
  reachedRank: number | null;
  duplicate: Duplicate | null;
  /** The missing source and campaign the row names (keys of `Analysis.missing`), created before it. */
  newSource?: string;
  newCampaign?: string;
}

/** A source the file names that the tenant lacks, as it would be created. */
export interface MissingSource { source_name: string; source_type: string; id: string | null; rows: number }
/** A campaign the file names that the tenant lacks, as it would be created. */
export interface MissingCampaign { campaign_code: string; campaign_name: string; campaign_type: string; id: string | null; rows: number }

interface Keys {
  id?: string;
  phone?: string;
  email?: string;
  nameCompany?: string;
}

const nameCompanyKey = (name: unknown, company: unknown) =>
  typeof name === 'string' && typeof company === 'string' && name.trim() && company.trim() ? `${name.trim().toLowerCase()}\u0000${company.trim().toLowerCase()}` : undefined;

function keysOf(lead: Record<string, unknown>, country: CountryCode | undefined): Keys {
  const phone = typeof lead.phone === 'string' && lead.phone ? (e164(lead.phone, country) ?? lead.phone.replace(/[^\d+]/g, '')) : undefined;
  return {
    id: typeof lead.id === 'string' ? lead.id : undefined,
    phone: phone || undefined,
    email: typeof lead.email === 'string' && lead.email ? lead.email.trim().toLowerCase() : undefined,
    nameCompany: nameCompanyKey(lead.name, lead.company),
  };
}

/** Where a lead's keys point: to an existing lead's id or to a file row (`#<row>`). */
class KeyIndex {
  private readonly maps = { id: new Map<string, string>(), phone: new Map<string, string>(), email: new Map<string, string>(), nameCompany: new Map<string, string>() };
  /** Each target's own id, where it has one: two records their system keeps apart are two leads, whatever their names. */
  private readonly ids = new Map<string, string>();

  add(keys: Keys, target: string) {
    for (const k of ['id', 'phone', 'email', 'nameCompany'] as const) {
      const v = keys[k];
      if (v && !this.maps[k].has(v)) this.maps[k].set(v, target);
    }
    if (keys.id) this.ids.set(target, keys.id);
  }

  find(keys: Keys): { kind: DuplicateKind; target: string } | null {
    for (const [k, kind] of [['id', 'id'], ['phone', 'phone'], ['email', 'email'], ['nameCompany', 'name_company']] as const) {
      const v = keys[k];
      const target = v ? this.maps[k].get(v) : undefined;
      if (!target) continue;
      // Two Riya Nairs of Apollo Hospitals with ids of their own (a branch's export) are two leads (issue 18: a re-import lost 25 of them).
      if (kind === 'name_company' && keys.id && this.ids.has(target) && this.ids.get(target) !== keys.id) continue;
      return { kind, target };
    }
    return null;
  }
}

export interface Analysis {
  file_name: string;
  format: 'csv' | 'xlsx';
  columns: string[];
  mapping: Record<string, ImportField | 'ignore'>;
  default_country: string | null;
  total_rows: number;
  /** Rows that can be imported (new leads and duplicates). */
  valid_rows: number;
  errors: RowError[];
  duplicates: Duplicate[];
  /** What the import would do under the decisions given. */
  plan: { create: number; merge: number; skip: number; keep: number; errors: number };
  /** The first rows as they would be imported. */
  sample: { row: number; lead: Record<string, unknown> }[];
  /** Sources and campaigns named by the file that the tenant does not have: created with `create_missing`, else their rows are errors. */
  missing: { sources: MissingSource[]; campaigns: MissingCampaign[]; users: { username: string; rows: number }[] };
  candidates: Candidate[];
}

/** Read, map, check and match the file; writes nothing. */
export async function analyseImport(ctx: ServiceContext, q: ImportInput): Promise<Analysis> {
  const table = await readTable(q.file_name, q.data_base64);
  const mapping = { ...suggestMapping(table.columns), ...(q.mapping ?? {}) };
  for (const column of Object.keys(q.mapping ?? {})) {
    if (!table.columns.includes(column)) throw validationError(`mapping.${column}`, 'is not a column of the file');
  }
  const taken = Object.entries(mapping).filter(([, f]) => f !== 'ignore');
  const fieldCount = new Map<string, number>();
  for (const [, f] of taken) fieldCount.set(f, (fieldCount.get(f) ?? 0) + 1);
  // Two columns on one field: name the one the user mapped.
  const given = (column: string) => (q.mapping && column in q.mapping ? 0 : 1);
  for (const [column, f] of [...taken].sort((x, y) => given(x[0]) - given(y[0]))) {
    if (fieldCount.get(f)! > 1) throw validationError(`mapping.${column}`, `maps to ${f}, as another column does`);
  }
  if (!taken.some(([, f]) => f === 'name')) throw validationError('mapping', 'must map a column to name');

  const country = countryOfLocale(ctx.settings.locale);
  const monthFirst = country === 'US';
  const sources = statement(ctx.db, 'SELECT id, source_name FROM sales_lead_sources WHERE deleted_at IS NULL').all() as { id: string; source_name: string }[];
  const campaigns = statement(ctx.db, 'SELECT id, campaign_code, campaign_name FROM sales_campaigns WHERE deleted_at IS NULL').all() as { id: string; campaign_code: string; campaign_name: string }[];
  const sourceBy = new Map<string, string>();
  for (const s of sources) sourceBy.set(s.id, s.id);
  for (const s of sources) if (!sourceBy.has(s.source_name.toLowerCase())) sourceBy.set(s.source_name.toLowerCase(), s.id);
  const campaignBy = new Map<string, string>();
  for (const c of campaigns) campaignBy.set(c.id, c.id);
  for (const c of campaigns) for (const k of [c.campaign_code, c.campaign_name]) if (!campaignBy.has(k.toLowerCase())) campaignBy.set(k.toLowerCase(), c.id);
  // SPEC §11: a lead is assigned to an active user, named in any case.
  const userBy = new Map((statement(ctx.db, 'SELECT username, active FROM users WHERE deleted_at IS NULL AND merged_into IS NULL').all() as { username: string; active: number }[])
    .map((u) => [u.username.toLowerCase(), u]));

  // The tenant's leads by each key.
  const existing = new KeyIndex();
  const existingNames = new Map<string, string>();
  const codes = new Set<string>();
  for (const l of statement(ctx.db, 'SELECT id, lead_code, name, email, phone, company FROM sales_leads WHERE deleted_at IS NULL').iterate() as Iterable<Record<string, string | null>>) {
    existing.add(keysOf(l, country), l.id!);
    existingNames.set(l.id!, l.name!);
    if (l.lead_code) codes.add(l.lead_code);
  }
  const deletedIds = new Set((statement(ctx.db, 'SELECT id FROM sales_leads WHERE deleted_at IS NOT NULL').all() as { id: string }[]).map((r) => r.id));

  const columnOf = new Map(taken.map(([column, field]) => [field as ImportField, table.columns.indexOf(column)]));
  // What the file names that the tenant lacks: rows counted for those created; the others listed all the same, so the user can choose to create them.
  const missingSources = new Map<string, MissingSource>();
  const unknownUsers = new Map<string, { username: string; rows: number }>();
  const missingCampaigns = new Map<string, MissingCampaign>();
  const noteMissingSource = (name: string, type: string, id: string | null) => {
    const m = missingSources.get(name.toLowerCase()) ?? { source_name: name, source_type: type, id, rows: 0 };
    m.rows += 1;
    missingSources.set(name.toLowerCase(), m);
  };
  const noteMissingCampaign = (entry: MissingCampaign) => {
    const m = missingCampaigns.get(entry.campaign_code.toLowerCase()) ?? { ...entry };
    m.rows += 1;
    missingCampaigns.set(entry.campaign_code.toLowerCase(), m);
  };
  const errors: RowError[] = [];
  const candidates: Candidate[] = [];
  const inFile = new KeyIndex();
  const fileCodes = new Set<string>();
  const createInput = leadService.inputs.create;
  const actionFor = (row: number) => q.decisions?.[String(row)] ?? q.on_duplicate ?? 'skip';

  let checked = 0;
  for (const { line, cells } of rowsOf(table)) {
    // The server answers others between slices of rows: a 200,000-row file is seconds of checks, never one long stall.
    if (++checked % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    const raw = (f: ImportField) => {
      const i = columnOf.get(f);
      const v = i === undefined ? '' : (cells[i] ?? '');
      return v === '' ? undefined : v;
    };
    const rowErrors: RowError[] = [];
    const fail = (field: string, message: string) => rowErrors.push({ row: line, field, message });
    const lead: Record<string, unknown> = {};
    for (const f of ['id', 'lead_code', 'name', 'company', 'lost_reason', 'notes'] as const) {
      const v = raw(f);
      if (v !== undefined) lead[f] = f === 'id' || f === 'lead_code' ? v.trim() : v;
    }
    const assignee = raw('assigned_to')?.trim();
    if (assignee) {
      const user = userBy.get(assignee.toLowerCase());
      if (user?.active) lead.assigned_to = user.username;
      else {
        unknownUsers.set(assignee.toLowerCase(), { username: user?.username ?? assignee, rows: (unknownUsers.get(assignee.toLowerCase())?.rows ?? 0) + 1 });
        if (q.unassign_unknown) {
          // Imported unassigned, as asked: a manager assigns it here.
        } else if (user) fail('assigned_to', `${user.username} is deactivated: reactivate them, assign the row to an active user, or import it unassigned`);
        else fail('assigned_to', `no user "${assignee}": add them as a user, leave the column empty, or import such rows unassigned`);
      }
    }
    const email = raw('email')?.trim();
    if (email) lead.email = email;
    const phone = raw('phone')?.trim();
    if (phone) {
      // The one reading of a phone number (domain/phone.ts), as the forms and the API read it.
      const read = readPhone(phone, country);
      if ('e164' in read) lead.phone = read.e164;
      else fail('phone', read.error);
    }
    // A source by its id, else its name; one the tenant lacks is listed, and created when asked.
    let newSource: string | undefined;
    let newCampaign: string | undefined;
    const sourceRef = raw('source')?.trim();
    const sourceName = raw('source_name')?.trim();
    if (sourceRef || sourceName) {
      const id = [sourceRef, sourceName].map((v) => v && (sourceBy.get(v) ?? sourceBy.get(v.toLowerCase()))).find(Boolean);
      if (id) lead.source_id = id;
      else {
        // With a name column beside it, the first column is the other branch's id (kept where free); alone, it is the name.
        const name = sourceName ?? sourceRef!;
        const type = raw('source_type')?.trim().toLowerCase() ?? 'other';
        const valid = (sourceTypes as readonly string[]).includes(type);
        if (!valid) fail('source_type', `must be one of: ${sourceTypes.join(', ')}`);
        else if (!q.create_missing) fail('source', `no lead source named "${name}": create it, or import with “create missing sources and campaigns”`);
        else newSource = name.toLowerCase();
        // Listed for the user to choose to create; only a valid one is made.
        if (valid || !q.create_missing) noteMissingSource(name, type, sourceName && sourceRef ? sourceRef : null);
      }
    }
    const campaignRef = raw('campaign')?.trim();
    const campaignCode = raw('campaign_code')?.trim();
    const campaignName = raw('campaign_name')?.trim();
    if (campaignRef || campaignCode || campaignName) {
      const id = [campaignRef, campaignCode, campaignName].map((v) => v && (campaignBy.get(v) ?? campaignBy.get(v.toLowerCase()))).find(Boolean);
      if (id) lead.campaign_id = id;
      else {
        // With a code or name column beside it, the first column is the other branch's id (kept where free); alone, it is the name.
        const name = campaignName ?? campaignCode ?? campaignRef!;
        const type = raw('campaign_type')?.trim().toLowerCase() ?? 'direct';
        const entry = { campaign_code: campaignCode ?? codeFromName(name), campaign_name: name, campaign_type: type, id: (campaignCode || campaignName) && campaignRef ? campaignRef : null, rows: 0 };
        const valid = (campaignTypes as readonly string[]).includes(type);
        if (!valid) fail('campaign_type', `must be one of: ${campaignTypes.join(', ')}`);
        else if (!q.create_missing) fail('campaign', `no campaign with the code or name "${campaignCode ?? name}": create it, or import with “create missing sources and campaigns”`);
        else newCampaign = entry.campaign_code.toLowerCase();
        if (valid || !q.create_missing) noteMissingCampaign(entry);
      }
    }
    const status = raw('status')?.trim().toLowerCase().replace(/\s+/g, '_');
    if (status) lead.status = status;
    const date = raw('lead_date')?.trim();
    if (date) {
      const d = localDateFrom(date, monthFirst);
      if (d) lead.lead_date = d;
      else fail('lead_date', `"${date}" is not a date (YYYY-MM-DD or ${monthFirst ? 'M/D/YYYY' : 'D/M/YYYY'})`);
    } else {
      lead.lead_date = today(ctx);
    }
    let reachedRank: number | null = null;
    const rank = raw('reached_rank')?.trim();
    if (rank) {
      const n = Number(rank);
      const floor = stageRank[(leadStatuses as readonly string[]).includes(status ?? '') ? (status as LeadStatus) : 'new'] ?? 0;
      if (!/^[0-4]$/.test(rank) || n < floor) fail('reached_rank', `must be a whole number from ${floor} to 4 (the status's rank or above)`);
      else reachedRank = n;
    }
    const parsed = createInput.safeParse(lead);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'row');
        fail(field === 'source_id' ? 'source' : field === 'campaign_id' ? 'campaign' : field, field === 'name' && issue.message === 'must be a string' ? 'is required' : issue.message);
      }
    }
    if (typeof lead.id === 'string' && deletedIds.has(lead.id)) fail('id', 'belongs to a deleted lead');
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }

    const keys = keysOf(lead, country);
    const match = existing.find(keys) ?? inFile.find(keys);
    const action = actionFor(line);
    let duplicate: Duplicate | null = null;
    if (match) {
      const fromFile = match.target.startsWith('#');
      duplicate = {
        row: line,
        name: String(lead.name),
        kind: match.kind,
        lead_id: fromFile ? null : match.target,
        lead_name: fromFile ? null : (existingNames.get(match.target) ?? null),
        file_row: fromFile ? Number(match.target.slice(1)) : null,
        action,
      };
    }
    // A lead code (or id) already taken: only a duplicate kept as a new lead may give it up.
    const code = lead.lead_code as string | undefined;
    if (code && (codes.has(code) || fileCodes.has(code))) {
      if (duplicate?.action === 'keep') delete lead.lead_code;
      else if (!duplicate) {
        errors.push({ row: line, field: 'lead_code', message: `"${code}" is already the code of another lead` });
        continue;
      }
    }
    if (duplicate?.action === 'keep' && duplicate.kind === 'id') delete lead.id;
    if (!duplicate || duplicate.action === 'keep') {
      inFile.add(keys, `#${line}`);
      if (lead.lead_code) fileCodes.add(lead.lead_code as string);
    }
    candidates.push({ row: line, lead, reachedRank, duplicate, newSource, newCampaign });
  }

  const duplicates = candidates.flatMap((c) => (c.duplicate ? [c.duplicate] : []));
  const count = (a: DuplicateAction) => duplicates.filter((d) => d.action === a).length;
  const errorRows = new Set(errors.map((e) => e.row)).size;
  return {
    file_name: q.file_name,
    format: table.format,
    columns: table.columns,
    mapping,
    default_country: country ?? null,
    total_rows: table.rows.lines.length,
    valid_rows: candidates.length,
    errors,
    duplicates,
    plan: { create: candidates.length - duplicates.length + count('keep'), merge: count('merge'), skip: count('skip'), keep: count('keep'), errors: errorRows },
    sample: candidates.slice(0, 20).map((c) => ({ row: c.row, lead: c.lead })),
    missing: { sources: [...missingSources.values()], campaigns: [...missingCampaigns.values()], users: [...unknownUsers.values()] },
    candidates,
  };
}

const ERRORS_SHOWN = 1_000;
const DUPLICATES_SHOWN = 5_000;

/** The preview a user decides on: nothing is written. */
export async function previewImport(ctx: ServiceContext, input: unknown) {
  const q = parseInput(importInput, input);
  const release = await previewTurn(ctx.settings.tenant_id, `a preview of ${q.file_name}`);
  const a = await analyseImport(ctx, q).finally(release);
  const { candidates: _c, errors, duplicates, ...rest } = a;
  return {
    ...rest,
    error_count: errors.length,
    errors: errors.slice(0, ERRORS_SHOWN),
    duplicate_count: duplicates.length,
    duplicates: duplicates.slice(0, DUPLICATES_SHOWN),
  };
}

export interface ImportResult {
  created: number;
  merged: number;
  skipped: number;
  error_rows: number;
  errors: RowError[];
}

/** A campaign code made from a name a file gives alone (`Diwali expo 2026` → `DIWALI-EXPO-2026`). */
const codeFromName = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 64) || 'IMPORTED';

/** The sources and campaigns the file named and the tenant lacked, created (their ids kept where free and valid); keys → ids. */
function createMissing(ctx: ServiceContext, missing: Analysis['missing']) {
  const free = (table: string, id: string | null) =>
    id && CLIENT_ID_RE.test(id) && !statement(ctx.db, `SELECT 1 FROM ${table} WHERE id = ?`).get(id) ? id : undefined;
  const sources = new Map<string, string>();
  const campaigns = new Map<string, string>();
  for (const m of missing.sources) {
    const made = leadSourceService.create(ctx, { id: free('sales_lead_sources', m.id), source_name: m.source_name, source_type: m.source_type });
    sources.set(m.source_name.toLowerCase(), made.id);
  }
  for (const m of missing.campaigns) {
    const made = campaignService.create(ctx, { id: free('sales_campaigns', m.id), campaign_code: m.campaign_code, campaign_name: m.campaign_name, campaign_type: m.campaign_type });
    campaigns.set(m.campaign_code.toLowerCase(), made.id);
  }
  return { sources, campaigns };
}

/** A merge fills the existing lead's empty fields; notes are added to its own. */
function mergePatch(existingLead: Record<string, unknown>, incoming: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const f of ['lead_code', 'email', 'phone', 'company', 'source_id', 'campaign_id', 'assigned_to', 'lost_reason'] as const) {
    if ((existingLead[f] === null || existingLead[f] === '') && incoming[f] !== undefined) patch[f] = incoming[f];
  }
  const notes = incoming.notes as string | undefined;
  if (notes && notes !== existingLead.notes && !String(existingLead.notes ?? '').includes(notes)) {
    patch.notes = existingLead.notes ? `${existingLead.notes as string}\n${notes}` : notes;
  }
  return patch;
}

/**
 * Import the file as previewed: new leads created, duplicates merged, kept or skipped.
 * Writes a chunk of rows per transaction, reporting progress after each.
 */
export async function runImport(ctx: ServiceContext, input: unknown, onProgress: (done: number, total: number) => void = () => {}): Promise<ImportResult> {
  const q = parseInput(importInput, input);
  const a = await analyseImport(ctx, q);
  const result: ImportResult = { created: 0, merged: 0, skipped: 0, error_rows: new Set(a.errors.map((e) => e.row)).size, errors: a.errors.slice(0, ERRORS_SHOWN) };
  const leadOfRow = new Map<number, string>();
  const total = a.candidates.length;
  onProgress(0, total);
  // Issue 18: what the file names and the tenant lacked, made first (only asked for with create_missing).
  const made = a.missing.sources.length + a.missing.campaigns.length && q.create_missing
    ? inTransaction(ctx, () => createMissing(ctx, a.missing))
    : { sources: new Map<string, string>(), campaigns: new Map<string, string>() };
  for (const c of a.candidates) {
    if (c.newSource) c.lead.source_id = made.sources.get(c.newSource);
    if (c.newCampaign) c.lead.campaign_id = made.campaigns.get(c.newCampaign);
  }
  for (let start = 0; start < total; start += CHUNK) {
    inTransaction(ctx, () => {
      const chunk = a.candidates.slice(start, start + CHUNK);
      // New leads first, all at once; then the duplicates, in file order (a merge may
      // land on a lead of this chunk).
      const fresh = chunk.filter((c) => !c.duplicate || c.duplicate.action === 'keep');
      createLeadsInBulk(ctx, fresh.map((c) => ({ values: c.lead, reachedRank: c.reachedRank }))).forEach((id, i) => leadOfRow.set(fresh[i]!.row, id));
      result.created += fresh.length;
      for (const c of chunk) {
        const d = c.duplicate;
        if (!d || d.action === 'keep') continue;
        const target = d.lead_id ?? (d.file_row !== null ? leadOfRow.get(d.file_row) : undefined);
        if (d.action === 'skip' || !target) {
          result.skipped += 1;
          if (target) leadOfRow.set(c.row, target);
          continue;
        }
        const patch = mergePatch(leadService.get(ctx, target) as Record<string, unknown>, c.lead);
        if (patch.lead_code && statement(ctx.db, 'SELECT 1 FROM sales_leads WHERE lead_code = ?').get(patch.lead_code)) delete patch.lead_code;
        if (Object.keys(patch).length) leadService.update(ctx, target, patch);
        leadOfRow.set(c.row, target);
        result.merged += 1;
      }
    });
    onProgress(Math.min(start + CHUNK, total), total);
    // Let the app answer (progress polls, other screens) between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return result;
}

// Imports the app runs in the background, polled for their progress.
interface ImportJob {
  id: string;
  tenant: string;
  state: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  result: ImportResult | null;
  error: { code: string; message: string; details: { field: string; message: string }[] } | null;
  started_at: string;
}
const jobs = new Map<string, ImportJob>();
const JOB_KEPT_MS = 60 * 60 * 1000;

/** Start an import; its progress and result are read with `importStatus`. */
export function startImport(ctx: ServiceContext, input: unknown) {
  const q = parseInput(importInput, input);
  const release = holdImport(ctx.settings.tenant_id, `the import of ${q.file_name}`);
  const job: ImportJob = { id: ctx.newId(), tenant: ctx.settings.tenant_id, state: 'running', done: 0, total: 0, result: null, error: null, started_at: new Date().toISOString() };
  jobs.set(job.id, job);
  void runImport(ctx, q, (done, total) => Object.assign(job, { done, total })).then(
    (result) => Object.assign(job, { state: 'done', result }),
    (err: unknown) => {
      const e = err instanceof AppError ? err : new AppError('bad_request', (err as Error).message ?? String(err));
      Object.assign(job, { state: 'failed', error: { code: e.code, message: e.message, details: e.details } });
    },
  ).finally(() => {
    release();
    setTimeout(() => jobs.delete(job.id), JOB_KEPT_MS).unref();
  });
  return { job_id: job.id };
}

export const importStatusInput = z.strictObject({ job_id: recordId() });

export function importStatus(ctx: ServiceContext, input: unknown): Omit<ImportJob, 'tenant'> {
  const { job_id } = parseInput(importStatusInput, input);
  const job = jobs.get(job_id);
  if (!job || job.tenant !== ctx.settings.tenant_id) throw new AppError('not_found', `no import '${job_id}'`, [{ field: 'job_id', message: 'no such import' }]);
  const { tenant: _t, ...shown } = job;
  return shown;
}
