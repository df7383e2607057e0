import { z } from 'zod';
import { bookingSummaryPlan } from '../../db/reports/bookingSummary.js';
import { campaignPerformancePlan } from '../../db/reports/campaignPerformance.js';
import { customerLedgerPlan } from '../../db/reports/customerLedgerSummary.js';
import { dashboardPlan } from '../../db/reports/dashboard.js';
import { engagementStatsPlan, type EngagementStats } from '../../db/reports/engagementStats.js';
import { funnelPlan } from '../../db/reports/funnel.js';
import { milestoneTimelinePlan } from '../../db/reports/milestoneTimeline.js';
import { sourcePerformancePlan } from '../../db/reports/sourcePerformance.js';
import { stageTimingPlan } from '../../db/reports/timeInStage.js';
import { siteVisitsPlan } from '../../db/reports/siteVisits.js';
import { inventoryColumns, inventoryPlan } from '../../db/reports/inventory.js';
import { agingPlan } from '../../db/reports/aging.js';
import { collectionsPlan } from '../../db/reports/collections.js';
import { type ReceivablesKept } from '../../db/reports/receivables.js';
import { receivablesKept, refreshReceivables } from '../../db/receivablesState.js';
import { onSqlite, type ReportPlan } from '../../db/reports/plan.js';
import { cellValuePlan, DRILL_REPORTS, DRILL_ROWS, drillCellsPlan, listPlan, listsInstalments, RECEIVABLES_DRILLS } from '../../db/reports/drillDown.js';
import { isRate } from '../../db/reports/drillCells.js';
import { campaigns, customers, leads, leadSources } from '../../db/schema/index.js';
import { nowIso, today, type ServiceContext } from '../domain/context.js';
import { validationError } from '../domain/errors.js';
import { pagination, parseInput, period, recordId, text, parsing } from '../domain/validation.js';
import { findRecord, requireRecord } from './records.js';
import { projectKnown } from './units.js';
import { tidyName } from '../../db/values/names.js';
import type { CsvShape } from '../csv/csvWriter.js';

// SPEC §5 reports by their route names (SPEC §6), each with its input schema, its
// runner and the columns that hold money (for CSV's two decimals).

export type ReportRow = Record<string, unknown>;

interface ReportDefinition<S extends z.ZodObject, R = unknown> {
  input: S;
  money: readonly string[];
  /** CSV header when the report has no rows (otherwise the first row's fields). */
  columns?: readonly string[];
  /** The report's queries and arithmetic, for SQLite here and Postgres in db/pg. */
  plan: (q: z.output<S> & { as_of: string; timezone: string; now: string; kept?: ReceivablesKept; stock?: '' | 'main.' }) => ReportPlan<R>;
  /** Reads receivables: the device's kept ones are brought up to date first (db/receivablesState.ts). */
  receivables?: boolean;
  /** Checks on the tenant's own data before running (the record asked about exists). */
  check?: (ctx: ServiceContext, q: z.output<S>) => void;
  /** Flatten the result into CSV rows. */
  rows?: (result: unknown) => ReportRow[];
  /** Columns named by the query that hold money too (the aging report's buckets). */
  moneyColumns?: RegExp;
  /** The record its route names in its path (SPEC §6 `reports/customer-ledger/:customer_id`). */
  record?: 'lead_id' | 'customer_id';
}

const define = <S extends z.ZodObject, R>(d: ReportDefinition<S, R>) => d;

const periodInput = z.strictObject(period);
const leadInput = z.strictObject({ ...period, lead_id: recordId() });

/** A project asked about must be one the tenant knows (its inventory or its bookings): a typo is not a project with no figures. */
const checkProject = (ctx: ServiceContext, q: { project_name?: string }) => {
  if (q.project_name === undefined) return;
  if (!projectKnown(ctx, q.project_name)) throw validationError('project_name', `no project '${tidyName(q.project_name)}' in the inventory or the bookings`);
};

const checkPeriod = (q: { from?: string; to?: string }) => {
  if (q.from && q.to && q.to < q.from) throw validationError('to', 'must be on or after from');
};

export const reports = {
  funnel: define({ input: periodInput, money: [], plan: funnelPlan }),
  'source-performance': define({
    input: periodInput,
    money: [],
    columns: ['source_id', 'source_name', 'source_type', 'subsource_name', 'channel', 'total_leads', 'qualified_leads', 'converted_leads', 'lost_leads', 'conversion_rate'],
    plan: sourcePerformancePlan,
  }),
  'campaign-performance': define({
    input: periodInput,
    money: ['budget', 'booked_amount', 'cost_per_lead'],
    columns: [
      'campaign_id', 'campaign_code', 'campaign_name', 'campaign_type', 'status', 'budget', 'expected_roi', 'total_leads',
      'converted_leads', 'conversion_rate', 'booked_amount', 'cost_per_lead', 'actual_roi',
    ],
    plan: campaignPerformancePlan,
  }),
  bookings: define({ input: z.strictObject({ ...period, project_name: text(200).optional() }), money: ['total_amount', 'average_amount'], plan: bookingSummaryPlan, check: checkProject }),
  'customer-ledger': define({
    input: z.strictObject({ ...period, customer_id: recordId().optional() }),
    record: 'customer_id',
    money: ['total_invoiced', 'total_paid', 'total_credit_notes', 'total_debit_notes', 'total_refunds', 'outstanding_balance'],
    columns: [
      'customer_id', 'customer_code', 'customer_name', 'total_invoiced', 'total_paid', 'total_credit_notes', 'total_debit_notes',
      'total_refunds', 'outstanding_balance', 'entry_count', 'last_transaction_date',
    ],
    plan: customerLedgerPlan,
    check: (ctx, query) => {
      if (query.customer_id) requireRecord(ctx, customers, 'customer', query.customer_id);
    },
  }),
  'milestone-timeline': define({
    input: leadInput,
    record: 'lead_id',
    money: [],
    columns: [
      'lead_id', 'milestone_id', 'sequence', 'milestone_type', 'milestone_date', 'milestone_time', 'location_name', 'visited_by',
      'outcome', 'follow_up_date', 'notes', 'days_since_previous', 'days_since_first',
    ],
    plan: milestoneTimelinePlan,
    check: (ctx, query) => requireRecord(ctx, leads, 'lead', query.lead_id),
  }),
  'engagement-stats': define({
    input: leadInput,
    record: 'lead_id',
    money: [],
    plan: engagementStatsPlan,
    check: (ctx, query) => requireRecord(ctx, leads, 'lead', query.lead_id),
    rows: (result) => {
      const { by_type, by_channel, ...rest } = result as EngagementStats;
      return [{
        ...rest,
        ...Object.fromEntries(Object.entries(by_type).map(([k, v]) => [`type_${k}`, v])),
        ...Object.fromEntries(Object.entries(by_channel).map(([k, v]) => [`channel_${k}`, v])),
      }];
    },
  }),
  'stage-timing': define({
    input: periodInput,
    money: [],
    columns: ['group', 'group_id', 'group_name', 'stage', 'leads_reached', 'median_days_to_reach', 'p90_days_to_reach', 'leads_in_stage', 'median_days_in_stage', 'p90_days_in_stage'],
    plan: stageTimingPlan,
  }),
  'site-visits': define({
    input: periodInput,
    money: [],
    columns: ['visited_by', 'visits', 'located', 'judged', 'off_site', 'off_site_share', 'mean_accuracy_m', 'positive'],
    plan: siteVisitsPlan,
  }),
  'receivables-aging': define({
    input: z.strictObject({
      as_of: period.as_of,
      project_name: text(200).optional(),
      buckets: z.string({ error: 'must be ascending whole days, e.g. 30,60,90,180' }).max(100)
        .transform((s) => s.split(',').map((d) => Number(d.trim())))
        .refine((b) => b.length > 0 && b.length <= 10 && b.every((d, i) => Number.isSafeInteger(d) && d > 0 && d <= 3650 && (i === 0 || d > b[i - 1]!)), { error: 'must be ascending whole days, e.g. 30,60,90,180' })
        .optional(),
    }),
    money: ['contract_value', 'due_to_date', 'received', 'received_against_due', 'outstanding_due', 'advance', 'not_due', 'overdue_total', 'next_due_amount'],
    moneyColumns: /^d\d+_(\d+|plus)$/,
    plan: (q) => agingPlan({ as_of: q.as_of, project_name: q.project_name, buckets: q.buckets, kept: q.kept }),
    receivables: true,
    check: checkProject,
  }),
  collections: define({
    input: periodInput,
    money: ['amount_due', 'received_against_due', 'receipts'],
    columns: ['month', 'instalments_due', 'amount_due', 'received_against_due', 'collection_efficiency', 'receipts'],
    plan: collectionsPlan,
    receivables: true,
  }),
  inventory: define({
    input: z.strictObject({ project_name: text(200).optional() }),
    money: ['list_value', 'unsold_value', 'sales_value'],
    columns: inventoryColumns,
    plan: (q) => inventoryPlan({ project_name: q.project_name, now: q.now, stock: q.stock }),
    check: checkProject,
  }),
  dashboard: define({
    input: z.strictObject({ ...period, project_name: text(200).optional() }),
    check: checkProject,
    money: ['customer_ltv', 'total_invoiced', 'total_paid', 'booked_amount', 'outstanding_balance', 'due_to_date', 'overdue_amount'],
    plan: dashboardPlan,
    receivables: true,
    rows: (result) => [result as ReportRow],
  }),
};

export type ReportName = keyof typeof reports;
export const reportNames = Object.keys(reports) as ReportName[];

export type ReportResult<N extends ReportName> = (typeof reports)[N] extends ReportDefinition<z.ZodObject, infer R> ? R : never;

/** A report's input as its schema reads it (what dispatch hands a report operation). */
export type ReportQuery = Record<string, unknown> & { from?: string; to?: string; as_of?: string };

/** A report's input read by its schema, for callers that have not (the CLI, the central server, a test). */
export const reportQuery = (name: ReportName, input: unknown): ReportQuery => parseInput(reports[name].input, input) as ReportQuery;

/**
 * A report's plan for its query, ready for either database. `kept`: what the device
 * keeps current of receivables, as of the report's day (none on Postgres, which
 * derives them live).
 */
export function reportPlan<N extends ReportName>(name: N, query: ReportQuery, today: string, timezone = 'UTC', now = new Date().toISOString(), kept?: (asOf: string) => ReceivablesKept | undefined, stock: '' | 'main.' = ''): ReportPlan<ReportResult<N>> {
  const def = reports[name] as unknown as ReportDefinition<z.ZodObject, ReportResult<N>>;
  checkPeriod(query);
  const asOf = query.as_of ?? today;
  return def.plan({ ...query, as_of: asOf, timezone, now, kept: def.receivables ? kept?.(asOf) : undefined, stock });
}

/** On this device: the kept receivables brought up to date (today's aging too when it is to be read), and what of them holds as of a day. */
export const keptReceivables = (ctx: ServiceContext, aging = false) => (asOf: string) => {
  refreshReceivables(ctx.db, today(ctx), aging && asOf === today(ctx));
  return receivablesKept(ctx.db, asOf);
};

/** A report run on this device for its query as read by its schema. */
export function runParsedReport<N extends ReportName>(ctx: ServiceContext, name: N, query: ReportQuery): ReportResult<N> {
  // On a device the units' stock is read from the main schema (db/scope.ts).
  const plan = reportPlan(name, query, today(ctx), ctx.settings.timezone, nowIso(ctx), keptReceivables(ctx, name === 'receivables-aging'), 'main.');
  (reports[name] as unknown as ReportDefinition<z.ZodObject>).check?.(ctx, query);
  return onSqlite(ctx.db, plan);
}

/** A report run on this device for an input its schema has still to read. */
export const runReport = <N extends ReportName>(ctx: ServiceContext, name: N, input: unknown): ReportResult<N> => runParsedReport(ctx, name, reportQuery(name, input));

/** A report's result as flat rows with its CSV shape: what CSV and tables use. */
export function reportRows(name: ReportName, result: unknown): { rows: ReportRow[]; shape: CsvShape } {
  const def = reports[name] as unknown as ReportDefinition<z.ZodObject>;
  const rows = def.rows ? def.rows(result) : (result as ReportRow[]);
  const columns = rows[0] ? Object.keys(rows[0]) : (def.columns ?? []);
  return { rows, shape: { columns, money: [...def.money, ...(def.moneyColumns ? columns.filter((c) => def.moneyColumns!.test(c)) : [])] } };
}

export const reportTable = (ctx: ServiceContext, name: ReportName, query: ReportQuery) => reportRows(name, runParsedReport(ctx, name, query));

export const drillInput = z.strictObject({
  ...period,
  report: z.enum(DRILL_REPORTS, { error: `must be one of: ${DRILL_REPORTS.join(', ')}` }),
  column: z.string({ error: 'must be the name of a report column' }).max(64),
  /** The row: a month (funnel, collections), a source id ('' for leads without a source), a campaign id or a customer id ('' for the aging's total); none for the dashboard. */
  row: z.string({ error: 'must be a string' }).max(64).optional(),
  /** The aging's project and buckets, as the report was asked. */
  project_name: text(200).optional(),
  buckets: reports['receivables-aging'].input.shape.buckets,
  limit: pagination.limit,
  offset: pagination.offset,
});

/** The records behind one number of a report, a page at a time, with the number worked out from them. */
export const drillDown = parsing(drillInput, (ctx: ServiceContext, drill) => {
  checkPeriod(drill);
  const asOf = drill.as_of ?? today(ctx);
  const { key } = DRILL_ROWS[drill.report];
  if (key && drill.row === undefined) throw validationError('row', `is required: the ${key} of the row`);
  if ((drill.report === 'funnel' || drill.report === 'collections') && !/^\d{4}-(0[1-9]|1[0-2])$/.test(drill.row ?? '')) throw validationError('row', 'must be a month YYYY-MM');
  if (drill.report === 'receivables-aging' && drill.row && !findRecord(ctx, customers, drill.row)) throw validationError('row', `no customer '${drill.row}': the row is a customer id, or empty for the total`);
  if (drill.project_name !== undefined && drill.report !== 'receivables-aging') throw validationError('project_name', 'is a filter of the receivables aging only');
  if (drill.buckets !== undefined && drill.report !== 'receivables-aging') throw validationError('buckets', 'is a filter of the receivables aging only');
  if (drill.project_name) checkProject(ctx, { project_name: drill.project_name });
  // Instalments are listed with what is paid of each as the device keeps it: as of a day on or after every receipt and booking.
  if (RECEIVABLES_DRILLS.includes(drill.report) && !keptReceivables(ctx)(asOf)?.current) {
    throw validationError('as_of', 'the instalments behind this figure can be listed only as they stand now: choose today, or a day after the latest booking, cancellation or receipt');
  }
  if (drill.report === 'source-performance' && drill.row) requireRecord(ctx, leadSources, 'lead source', drill.row);
  if (drill.report === 'campaign-performance') requireRecord(ctx, campaigns, 'campaign', drill.row ?? '');
  const cells = onSqlite(ctx.db, drillCellsPlan(drill.report, drill.row ?? null, {
    from: drill.from, to: drill.to, as_of: asOf, timezone: ctx.settings.timezone, project_key: drill.project_name ? tidyName(drill.project_name).toLowerCase() : null, buckets: drill.buckets,
  }));
  const cell = cells[drill.column];
  if (!cell) throw validationError('column', `must be one of the ${drill.report} figures that open a list: ${Object.keys(cells).join(', ')}`);
  const list = isRate(cell) ? cell[cell.opens] : cell;
  if (!('list' in list)) throw validationError('column', 'does not open a list');
  // Instalments are listed with what is paid of each as the device keeps it: as of a day on or after every receipt and booking.
  if (listsInstalments(cell) && !keptReceivables(ctx)(asOf)?.current) {
    throw validationError('as_of', 'the instalments behind this figure can be listed only as they stand now: choose today, or a day after the latest booking, cancellation or receipt');
  }
  const page = onSqlite(ctx.db, listPlan(list, drill.offset ?? 0, drill.limit ?? 100));
  return { report: drill.report, column: drill.column, row: drill.row ?? null, as_of: asOf, value: onSqlite(ctx.db, cellValuePlan(cell)), ...page };
});
