import { prepareCached } from '../../../db/statements.js';
import type { ServiceContext } from '../../domain/context.js';
import { CLIENT_ID_RE, parsing } from '../../domain/validation.js';
import { campaignService, leadSourceService } from '../catalog.js';
import { createLeadsInBulk, leadService } from '../leads.js';
import { inTransaction } from '../records.js';
import { analyseImport, type Analysis, type RowError } from './analyse.js';
import { importInput } from './fields.js';
import { previewTurn } from './reader.js';

// The preview a user decides on, and the import itself: the rows the preview called
// good written in order, a chunk per transaction, so its progress can be shown and a
// re-run after a failure skips what was already written (the duplicates of it).

const CHUNK = 5_000;
const ERRORS_SHOWN = 1_000;
const DUPLICATES_SHOWN = 5_000;

/** The preview a user decides on: nothing is written. */
export const previewImport = parsing(importInput, async (ctx: ServiceContext, request) => {
  const release = await previewTurn(ctx.settings.tenant_id, `a preview of ${request.file_name}`);
  const analysis = await analyseImport(ctx, request).finally(release);
  const { candidates: _c, errors, duplicates, ...rest } = analysis;
  return {
    ...rest,
    error_count: errors.length,
    errors: errors.slice(0, ERRORS_SHOWN),
    duplicate_count: duplicates.length,
    duplicates: duplicates.slice(0, DUPLICATES_SHOWN),
  };
});

export interface ImportResult {
  created: number;
  merged: number;
  skipped: number;
  error_rows: number;
  errors: RowError[];
}


/** The sources and campaigns the file named and the tenant lacked, created (their ids kept where free and valid); keys → ids. */
function createMissing(ctx: ServiceContext, missing: Analysis['missing']) {
  const free = (table: string, id: string | null) =>
    id && CLIENT_ID_RE.test(id) && !prepareCached(ctx.db, `SELECT 1 FROM ${table} WHERE id = ?`).get(id) ? id : undefined;
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
export const runImport = parsing(importInput, async (ctx: ServiceContext, request, onProgress: (done: number, total: number) => void = () => {}): Promise<ImportResult> => {
  const analysis = await analyseImport(ctx, request);
  const result: ImportResult = { created: 0, merged: 0, skipped: 0, error_rows: new Set(analysis.errors.map((e) => e.row)).size, errors: analysis.errors.slice(0, ERRORS_SHOWN) };
  const leadOfRow = new Map<number, string>();
  const total = analysis.candidates.length;
  onProgress(0, total);
  // What the file names and the tenant lacked, made first (only asked for with create_missing).
  const made = analysis.missing.sources.length + analysis.missing.campaigns.length && request.create_missing
    ? inTransaction(ctx, () => createMissing(ctx, analysis.missing))
    : { sources: new Map<string, string>(), campaigns: new Map<string, string>() };
  for (const c of analysis.candidates) {
    if (c.newSource) c.lead.source_id = made.sources.get(c.newSource);
    if (c.newCampaign) c.lead.campaign_id = made.campaigns.get(c.newCampaign);
  }
  for (let start = 0; start < total; start += CHUNK) {
    inTransaction(ctx, () => {
      const chunk = analysis.candidates.slice(start, start + CHUNK);
      // New leads first, all at once; then the duplicates, in file order (analysis merge may
      // land on analysis lead of this chunk).
      const fresh = chunk.filter((c) => !c.duplicate || c.duplicate.action === 'keep');
      createLeadsInBulk(ctx, fresh.map((c) => ({ values: c.lead, reachedRank: c.reachedRank }))).forEach((id, i) => leadOfRow.set(fresh[i]!.row, id));
      result.created += fresh.length;
      for (const c of chunk) {
        const duplicate = c.duplicate;
        if (!duplicate || duplicate.action === 'keep') continue;
        const target = duplicate.lead_id ?? (duplicate.file_row !== null ? leadOfRow.get(duplicate.file_row) : undefined);
        if (duplicate.action === 'skip' || !target) {
          result.skipped += 1;
          if (target) leadOfRow.set(c.row, target);
          continue;
        }
        const patch = mergePatch(leadService.get(ctx, target) as Record<string, unknown>, c.lead);
        if (patch.lead_code && prepareCached(ctx.db, 'SELECT 1 FROM sales_leads WHERE lead_code = ?').get(patch.lead_code)) delete patch.lead_code;
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
});

