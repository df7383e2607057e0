import { and, desc, eq, isNull, type SQL, ne } from 'drizzle-orm';
import { leadStagesReport } from '../../db/reports/timeInStage.js';
import { OPEN_STAGES, staleLeads, staleThresholds } from '../../db/reports/staleLeads.js';
import { prepareCached } from '../../db/statements.js';
import { insertingLeadsInBulk } from '../../db/aggregates.js';
import { z } from 'zod';
import { campaigns, customers, engagements, leads, leadSources, leadStatusHistory, milestones, stageSettings, bookings } from '../../db/schema/index.js';
import { leadStatuses, type LeadStatus } from '../../db/schema/enums.js';
import { nowIso, today, type ServiceContext } from '../domain/context.js';
import { reachedRankAfter } from '../domain/lifecycle.js';
import { instantOf } from '../../db/values/dates.js';
import { conflict, validationError } from '../domain/errors.js';
import { enumOf, localDate, longText, pagination, recordId, requiredText, text, parsing } from '../domain/validation.js';
import { entityService, recordInputs } from './entityService.js';
import { assertReference, audit, findRecord, inTransaction, insertRecord, nextCode, pageOf, requireRecord, updateRecord, withChangedPhone, withPhone, type Page } from './records.js';
import { assigneeName } from './users.js';

type LeadRow = typeof leads.$inferSelect;

const leadFields = {
  lead_code: text(64).nullish(),
  name: requiredText(),
  email: z.email({ error: 'must be an email address' }).max(254).nullish(),
  phone: text(40).nullish(),
  company: text().nullish(),
  source_id: recordId().nullish(),
  campaign_id: recordId().nullish(),
  assigned_to: text().nullish(),
  status: enumOf(leadStatuses).optional(),
  lead_date: localDate().optional(),
  customer_id: recordId().nullish(),
  lost_reason: longText().nullish(),
  notes: longText().nullish(),
};

function recordHistory(ctx: ServiceContext, leadId: string, from: LeadStatus | null, to: LeadStatus, cause: string, changedAt: string, id?: string) {
  insertRecord(ctx, leadStatusHistory, {
    lead_id: leadId, from_status: from, to_status: to, changed_at: changedAt, changed_by: ctx.actor, cause,
  }, id);
}

/**
 * Move a lead to a status, keeping its history and reached rank (SPEC §4). A no-op
 * when the status is unchanged.
 */
export function changeLeadStatus(ctx: ServiceContext, lead: LeadRow, to: LeadStatus, cause: string, changedAt = nowIso(ctx), historyId?: string): LeadRow {
  if (lead.status === to) return lead;
  const updated = updateRecord(ctx, leads, 'lead', lead.id, {
    status: to, reached_rank: reachedRankAfter(lead.reached_rank, to), ...(lead.status === 'lost' && lead.lost_reason !== null ? { lost_reason: null } : {}),
  }, 'status_change');
  recordHistory(ctx, lead.id, lead.status, to, cause, changedAt, historyId);
  return updated;
}

const LEAD_COLUMNS = [
  'id', 'created_at', 'updated_at', 'created_by', 'deleted_at', 'lead_code', 'name', 'email', 'phone', 'company', 'source_id', 'campaign_id',
  'assigned_to', 'status', 'reached_rank', 'lead_date', 'customer_id', 'lost_reason', 'notes',
] as const;
const INSERT_LEAD = `INSERT INTO sales_leads (${LEAD_COLUMNS.join(', ')}) VALUES (${LEAD_COLUMNS.map(() => '?').join(', ')})`;
const HISTORY_COLUMNS = ['id', 'created_at', 'updated_at', 'created_by', 'deleted_at', 'lead_id', 'from_status', 'to_status', 'changed_at', 'changed_by', 'cause'] as const;
const INSERT_HISTORY = `INSERT INTO sales_lead_status_history (${HISTORY_COLUMNS.join(', ')}) VALUES (${HISTORY_COLUMNS.map(() => '?').join(', ')})`;

/**
 * Create many leads already checked against `leadService.inputs.create` and the
 * tenant's records (a lead import), in the caller's transaction: the same rows, history
 * and audit as `leadService.create`, with the aggregates counted once for the set.
 * A lead may bring the rank it had reached (an exported lead imported again).
 */
export function createLeadsInBulk(ctx: ServiceContext, items: { values: Record<string, unknown>; reachedRank?: number | null }[]): string[] {
  const startOf = new Map<string, string>();
  return insertingLeadsInBulk(ctx.db, () => {
    const ids: string[] = [];
    for (const { values, reachedRank } of items) {
      const status = (values.status as LeadStatus | undefined) ?? 'new';
      const at = nowIso(ctx);
      const row: Record<string, unknown> = {
        ...Object.fromEntries(LEAD_COLUMNS.map((c) => [c, values[c] ?? null])),
        id: (values.id as string | undefined) ?? ctx.newId(), created_at: at, updated_at: at, created_by: ctx.actor, deleted_at: null,
        status, reached_rank: Math.max(reachedRankAfter(0, status), reachedRank ?? 0), lead_date: values.lead_date ?? today(ctx),
        lead_code: values.lead_code ?? nextCode(ctx, 'LD'),
      };
      prepareCached(ctx.db, INSERT_LEAD).run(...LEAD_COLUMNS.map((c) => row[c]));
      ctx.capture.change(ctx, { t: 'sales_leads', id: row.id as string, op: 'insert', v: row });
      audit(ctx, 'sales_leads', row.id as string, 'create', values);
      // Its first status, as firstStatus records it (the start of each lead date worked out once).
      const history: Record<string, unknown> = {
        id: ctx.newId(), created_at: at, updated_at: at, created_by: ctx.actor, deleted_at: null, lead_id: row.id, from_status: null,
        to_status: status, changed_at: firstStatusAt(ctx, row.lead_date as string, at, startOf), changed_by: ctx.actor, cause: 'manual',
      };
      prepareCached(ctx.db, INSERT_HISTORY).run(...HISTORY_COLUMNS.map((c) => history[c]));
      ctx.capture.change(ctx, { t: 'sales_lead_status_history', id: history.id as string, op: 'insert', v: history });
      const { id: _id, created_at: _c, updated_at: _u, created_by: _b, deleted_at: _d, ...fields } = history;
      audit(ctx, 'sales_lead_status_history', history.id as string, 'create', fields);
      ids.push(row.id as string);
    }
    return { ids, result: ids };
  });
}

/** The lead entered its first status on its lead_date (or when recorded, if that is earlier). */
function firstStatus(ctx: ServiceContext, row: Record<string, unknown>) {
  recordHistory(ctx, row.id as string, null, row.status as LeadStatus, 'manual', firstStatusAt(ctx, row.lead_date as string, row.created_at as string));
}

/** When a lead entered its first status: the start of its lead date, or when recorded if earlier. */
function firstStatusAt(ctx: ServiceContext, leadDate: string, createdAt: string, startOf = new Map<string, string>()): string {
  if (!startOf.has(leadDate)) startOf.set(leadDate, instantOf(leadDate, null, ctx.settings.timezone).toISOString());
  const dated = startOf.get(leadDate)!;
  return dated < createdAt ? dated : createdAt;
}

/**
 * SPEC §4, a status set by hand: `lost` needs a lost_reason; `converted` needs a live
 * booking of the lead, since booking is what converts. Anything else may be set.
 */
function checkStatusByHand(ctx: ServiceContext, existing: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const to = patch.status;
  if (to === undefined || to === existing.status) return patch;
  if (to === 'lost') {
    const reason = patch.lost_reason !== undefined ? patch.lost_reason : existing.lost_reason;
    if (typeof reason !== 'string' || reason.trim() === '') throw validationError('lost_reason', 'is required to mark a lead lost: say why it was lost');
  }
  if (to === 'converted' && !ctx.orm.select({ id: bookings.id }).from(bookings).where(and(eq(bookings.lead_id, String(existing.id)), ne(bookings.status, 'cancelled'), isNull(bookings.deleted_at))).limit(1).get()) {
    throw conflict('a lead is converted by booking a unit for it, and this lead has no live booking: book a unit instead (Bookings → Book a unit)', 'status');
  }
  // Out of lost, the reason it was lost no longer describes it (the audit keeps it).
  return existing.status === 'lost' && patch.lost_reason === undefined ? { ...patch, lost_reason: null } : patch;
}

export const leadService = entityService({
  table: leads,
  entity: 'lead',
  ...recordInputs(leadFields),
  uniqueFields: ['lead_code'],
  filters: { status: leads.status, source_id: leads.source_id, campaign_id: leads.campaign_id, assigned_to: leads.assigned_to, customer_id: leads.customer_id },
  searchColumns: [leads.name, leads.email, leads.phone, leads.company, leads.lead_code],
  phoneColumn: 'phone',
  digitColumns: [leads.lead_code, leads.email],
  dateColumn: leads.lead_date,
  orderBy: [desc(leads.lead_date), desc(leads.created_at)],
  prepare: (ctx, values) => {
    const status = (values.status as LeadStatus | undefined) ?? 'new';
    const assigned = typeof values.assigned_to === 'string' ? { assigned_to: assigneeName(ctx, values.assigned_to) } : {};
    // Every lead has a code to be named by (`#/leads/LD-…`): this device's next unless it brings one.
    return { ...withPhone(ctx, values), ...assigned, status, reached_rank: reachedRankAfter(0, status), lead_date: values.lead_date ?? today(ctx), lead_code: values.lead_code ?? nextCode(ctx, 'LD') };
  },
  preparePatch: (ctx, existing, patch) => {
    // A lead is assigned to a user (SPEC §11); older free text on a lead stays until it is changed.
    const read = withChangedPhone(ctx, existing, checkStatusByHand(ctx, existing, patch));
    return typeof read.assigned_to === 'string' && read.assigned_to !== existing.assigned_to ? { ...read, assigned_to: assigneeName(ctx, read.assigned_to) } : read;
  },
  check: (ctx, merged) => {
    assertReference(ctx, leadSources, 'lead source', merged.source_id, 'source_id');
    assertReference(ctx, campaigns, 'campaign', merged.campaign_id, 'campaign_id');
    assertReference(ctx, customers, 'customer', merged.customer_id, 'customer_id');
  },
  afterCreate: firstStatus,
  afterUpdate: (ctx, before, after) => {
    if (before.status === after.status) return;
    // A manual status change: the reached rank follows and history gets its row.
    const reached = reachedRankAfter(before.reached_rank as number, after.status as LeadStatus);
    if (reached !== after.reached_rank) {
      prepareCached(ctx.db, 'UPDATE sales_leads SET reached_rank = ? WHERE id = ?').run(reached, after.id);
      ctx.capture.change(ctx, { t: 'sales_leads', id: after.id as string, op: 'update', v: { reached_rank: reached } });
      after.reached_rank = reached;
    }
    recordHistory(ctx, after.id as string, before.status as LeadStatus, after.status as LeadStatus, 'manual', nowIso(ctx));
    audit(ctx, 'sales_leads', after.id as string, 'status_change', { from: before.status, to: after.status, cause: 'manual' });
  },
});

/**
 * A lead's status history, one line: two devices that changed the status offline each
 * recorded the move from the status they saw, so after sync two rows can start from the
 * same status. Read in time order each row starts where the one before it ended; the
 * status its device saw is kept as `recorded_from_status` where the two differ.
 */
export function leadStatusHistoryOf(ctx: ServiceContext, leadId: string) {
  leadService.get(ctx, leadId);
  const history = leadStatusHistory;
  const rows = ctx.orm.select().from(history).where(and(eq(history.lead_id, leadId), isNull(history.deleted_at))).orderBy(history.changed_at, history.created_at, history.id).all();
  return rows.map((r, i) => {
    const before = i === 0 ? r.from_status : rows[i - 1]!.to_status;
    return before === r.from_status ? r : { ...r, from_status: before, recorded_from_status: r.from_status };
  });
}

/** Time in stage: the lead's stages from its status history, with days in each. */
export const leadStagesInput = z.strictObject({ id: recordId(), as_of: localDate().optional() });

/** When a lead reached each stage and how long it stayed, as of a day (today by default). */
export const leadStages = parsing(leadStagesInput, (ctx: ServiceContext, query) => {
  leadService.get(ctx, query.id);
  return leadStagesReport(ctx.db, { lead_id: query.id, as_of: query.as_of ?? today(ctx), timezone: ctx.settings.timezone });
});

export const staleSettingInput = z.strictObject({
  stage: z.enum(OPEN_STAGES, { error: `must be one of: ${OPEN_STAGES.join(', ')}` }),
  stale_after_days: z.number({ error: 'must be a whole number of days' }).int({ error: 'must be a whole number of days' }).min(1, { error: 'must be at least 1' }).max(3650, { error: 'must be at most 3650' }),
});

/** After how many idle days a lead of each open stage is stale, for this tenant. */
export const staleSettings = (ctx: ServiceContext) => staleThresholds(ctx.db);

export const setStaleAfter = parsing(staleSettingInput, (ctx: ServiceContext, { stage, stale_after_days }) => {
  inTransaction(ctx, () => {
    if (findRecord(ctx, stageSettings, stage, { includeDeleted: true })) {
      updateRecord(ctx, stageSettings, 'stage setting', stage, { stale_after_days, deleted_at: null });
    } else {
      insertRecord(ctx, stageSettings, { stale_after_days }, stage);
    }
  });
  return staleSettings(ctx);
});

export const staleLeadsInput = z.strictObject({
  as_of: localDate().optional(),
  limit: pagination.limit,
  offset: pagination.offset,
  /** Only these leads (a screen's page of leads), up to 500. */
  lead_ids: z.array(recordId(), { error: 'must be a list of lead ids' }).max(500, { error: 'must name at most 500 leads' }).optional(),
});

/** The stale leads as of a day (today by default), longest idle first, a page at a time with the total. */
export const listStaleLeads = parsing(staleLeadsInput, (ctx: ServiceContext, filters) => {
  return staleLeads(ctx.db, filters.as_of ?? today(ctx), { limit: filters.limit ?? 100, offset: filters.offset ?? 0, leadIds: filters.lead_ids });
});

export const listByLeadInput = z.strictObject({ lead_id: recordId(), ...pagination });

/** A page of what hangs off a lead (its milestones, its engagements), in the order given; 404 when there is no such lead. */
export function recordsOfLead<T extends typeof milestones | typeof engagements>(ctx: ServiceContext, table: T, order: SQL[], filters: z.output<typeof listByLeadInput>): Page<T['$inferSelect']> {
  requireRecord(ctx, leads, 'lead', filters.lead_id);
  const limit = filters.limit ?? 100;
  const offset = filters.offset ?? 0;
  const rows = ctx.orm.select().from(table as typeof milestones)
    .where(and(eq(table.lead_id, filters.lead_id), filters.include_deleted ? undefined : isNull(table.deleted_at)))
    .orderBy(...order).limit(limit + 1).offset(offset).all() as T['$inferSelect'][];
  return pageOf(rows, limit, offset);
}
