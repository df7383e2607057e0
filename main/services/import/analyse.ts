import type { CountryCode } from 'libphonenumber-js';
import { leadStatuses, stageRank, type LeadStatus } from '../../../db/schema/enums.js';
import { today, type ServiceContext } from '../../domain/context.js';
import { validationError } from '../../domain/errors.js';
import { countryOfLocale, readPhone } from '../../domain/phone.js';
import { leadService } from '../leads.js';
import { KeyIndex, keysOf, tenantLeads, type Duplicate } from './duplicates.js';
import { localDateFrom, suggestMapping, type DuplicateAction, type ImportField, type ImportInput } from './fields.js';
import { rowsOf, type Table } from './file.js';
import { readTableOffThread } from './reader.js';
import { TenantReferences, type Missing } from './references.js';

// An import's analysis (SPEC §3 leads): the file read, its columns mapped onto
// lead fields, each row checked (phones to E.164 with the tenant's country), and
// duplicates found against the tenant's leads and within the file, for the user to
// skip, merge or keep. Nothing is written.

/** Rows checked between two turns of the event loop (≈ 40 ms of work). */
const YIELD_EVERY = 1_000;

export interface RowError {
  row: number;
  field: string;
  message: string;
}

export interface Candidate {
  row: number;
  lead: Record<string, unknown>;
  reachedRank: number | null;
  duplicate: Duplicate | null;
  /** The missing source and campaign the row names (keys of `Analysis.missing`), created before it. */
  newSource?: string;
  newCampaign?: string;
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
  missing: Missing;
  candidates: Candidate[];
}

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

/** The mapping the import uses: the one suggested by the headers, with the user's on top; each field from one column, a name among them. */
function mappingOf(table: Table, given: ImportInput['mapping']): { mapping: Record<string, ImportField | 'ignore'>; columnOf: Map<ImportField, number> } {
  const mapping = { ...suggestMapping(table.columns), ...(given ?? {}) };
  for (const column of Object.keys(given ?? {})) {
    if (!table.columns.includes(column)) throw validationError(`mapping.${column}`, 'is not a column of the file');
  }
  const taken = Object.entries(mapping).filter(([, f]) => f !== 'ignore');
  const fieldCount = new Map<string, number>();
  for (const [, f] of taken) fieldCount.set(f, (fieldCount.get(f) ?? 0) + 1);
  // Two columns on one field: name the one the user mapped.
  const byUser = (column: string) => (given && column in given ? 0 : 1);
  for (const [column, f] of [...taken].sort((x, y) => byUser(x[0]) - byUser(y[0]))) {
    if (fieldCount.get(f)! > 1) throw validationError(`mapping.${column}`, `maps to ${f}, as another column does`);
  }
  if (!taken.some(([, f]) => f === 'name')) throw validationError('mapping', 'must map a column to name');
  return { mapping, columnOf: new Map(taken.map(([column, field]) => [field as ImportField, table.columns.indexOf(column)])) };
}

/** One row read into a lead as the lead form would send it, each refusal named by its field. */
function readRow(ctx: ServiceContext, country: CountryCode | undefined, raw: (f: ImportField) => string | undefined, refs: TenantReferences, fail: (field: string, message: string) => void) {
  const monthFirst = country === 'US';
  const cell = (f: ImportField) => raw(f)?.trim();
  const lead: Record<string, unknown> = {};
  for (const f of ['id', 'lead_code', 'name', 'company', 'lost_reason', 'notes'] as const) {
    const value = raw(f);
    if (value !== undefined) lead[f] = f === 'id' || f === 'lead_code' ? value.trim() : value;
  }
  const assignee = refs.assignee(cell, fail);
  if (assignee) lead.assigned_to = assignee;
  const email = cell('email');
  if (email) lead.email = email;
  const phone = cell('phone');
  if (phone) {
    // The one reading of a phone number (domain/phone.ts), as the forms and the API read it.
    const read = readPhone(phone, country);
    if ('e164' in read) lead.phone = read.e164;
    else fail('phone', read.error);
  }
  const source = refs.source(cell, fail);
  if (source.id) lead.source_id = source.id;
  const campaign = refs.campaign(cell, fail);
  if (campaign.id) lead.campaign_id = campaign.id;
  const status = cell('status')?.toLowerCase().replace(/\s+/g, '_');
  if (status) lead.status = status;
  const date = cell('lead_date');
  if (date) {
    const day = localDateFrom(date, monthFirst);
    if (day) lead.lead_date = day;
    else fail('lead_date', `"${date}" is not a date (YYYY-MM-DD or ${monthFirst ? 'M/D/YYYY' : 'D/M/YYYY'})`);
  } else {
    lead.lead_date = today(ctx);
  }
  let reachedRank: number | null = null;
  const rank = cell('reached_rank');
  if (rank) {
    const rankNumber = Number(rank);
    const floor = stageRank[(leadStatuses as readonly string[]).includes(status ?? '') ? (status as LeadStatus) : 'new'] ?? 0;
    if (!/^[0-4]$/.test(rank) || rankNumber < floor) fail('reached_rank', `must be a whole number from ${floor} to 4 (the status's rank or above)`);
    else reachedRank = rankNumber;
  }
  const parsed = leadService.inputs.create.safeParse(lead);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'row');
      fail(field === 'source_id' ? 'source' : field === 'campaign_id' ? 'campaign' : field, field === 'name' && issue.message === 'must be a string' ? 'is required' : issue.message);
    }
  }
  return { lead, reachedRank, newSource: source.create, newCampaign: campaign.create };
}

/** Read, map, check and match the file; writes nothing. */
export async function analyseImport(ctx: ServiceContext, request: ImportInput): Promise<Analysis> {
  const table = await readTable(request.file_name, request.data_base64);
  const { mapping, columnOf } = mappingOf(table, request.mapping);
  const country = countryOfLocale(ctx.settings.locale);
  const refs = new TenantReferences(ctx, request);
  const existing = tenantLeads(ctx, country);
  const errors: RowError[] = [];
  const candidates: Candidate[] = [];
  const inFile = new KeyIndex();
  const fileCodes = new Set<string>();
  const actionFor = (row: number) => request.decisions?.[String(row)] ?? request.on_duplicate ?? 'skip';

  let checked = 0;
  for (const { line, cells } of rowsOf(table)) {
    // The engine answers others between slices of rows: a 200,000-row file is seconds of checks, never one long stall.
    if (++checked % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    const raw = (f: ImportField) => {
      const column = columnOf.get(f);
      const value = column === undefined ? '' : (cells[column] ?? '');
      return value === '' ? undefined : value;
    };
    const rowErrors: RowError[] = [];
    const { lead, reachedRank, newSource, newCampaign } = readRow(ctx, country, raw, refs, (field, message) => rowErrors.push({ row: line, field, message }));
    if (typeof lead.id === 'string' && existing.deletedIds.has(lead.id)) rowErrors.push({ row: line, field: 'id', message: 'belongs to a deleted lead' });
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }

    const keys = keysOf(lead, country);
    const match = existing.index.find(keys) ?? inFile.find(keys);
    let duplicate: Duplicate | null = null;
    if (match) {
      const fromFile = match.target.startsWith('#');
      duplicate = {
        row: line,
        name: String(lead.name),
        kind: match.kind,
        lead_id: fromFile ? null : match.target,
        lead_name: fromFile ? null : (existing.names.get(match.target) ?? null),
        file_row: fromFile ? Number(match.target.slice(1)) : null,
        action: actionFor(line),
      };
    }
    // A lead code (or id) already taken: only a duplicate kept as a new lead may give it up.
    const code = lead.lead_code as string | undefined;
    if (code && (existing.codes.has(code) || fileCodes.has(code))) {
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
    file_name: request.file_name,
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
    missing: refs.missing(),
    candidates,
  };
}
