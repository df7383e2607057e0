import type Database from 'better-sqlite3';
import { rebuildReceivables } from './receivablesState.js';
import { LEAD_LAST_ACTIVITY } from './reports/staleLeads.js';

// The aggregate tables of migrations 0003–0007 and 0009 are derived; this recounts them from
// their tables. A bulk import (the benchmark's generator) loads with the triggers
// dropped and calls it once at the end; it also repairs them should that ever be needed.
export const REBUILD = [
  `DELETE FROM agg_leads_daily`,
  `INSERT INTO agg_leads_daily (lead_date, status, reached_rank, n)
     SELECT lead_date, status, reached_rank, count(*) FROM sales_leads WHERE deleted_at IS NULL GROUP BY 1, 2, 3`,
  `DELETE FROM agg_leads_source_daily`,
  `INSERT INTO agg_leads_source_daily (source_key, lead_date, status, reached_rank, n)
     SELECT coalesce(source_id, ''), lead_date, status, reached_rank, count(*) FROM sales_leads WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4`,
  `DELETE FROM agg_bookings_daily`,
  `INSERT INTO agg_bookings_daily (booking_date, status, n, amount, units)
     SELECT booking_date, status, count(*), sum(booking_amount), sum(units_booked) FROM sales_bookings WHERE deleted_at IS NULL GROUP BY 1, 2`,
  `DELETE FROM agg_ledger_daily`,
  `INSERT INTO agg_ledger_daily (transaction_date, invoiced, paid, debit, credit, entries)
     SELECT transaction_date,
            sum(CASE transaction_type WHEN 'invoice' THEN debit_amount WHEN 'debit_note' THEN debit_amount WHEN 'credit_note' THEN -credit_amount ELSE 0 END),
            sum(CASE transaction_type WHEN 'payment' THEN credit_amount WHEN 'refund' THEN -debit_amount ELSE 0 END), sum(debit_amount), sum(credit_amount), count(*)
     FROM sales_account_ledgers WHERE deleted_at IS NULL AND status <> 'cancelled' GROUP BY 1`,
  `DELETE FROM agg_engagements_daily`,
  `INSERT INTO agg_engagements_daily (engagement_date, n)
     SELECT engagement_date, count(*) FROM sales_lead_engagement WHERE deleted_at IS NULL GROUP BY 1`,
  `DELETE FROM agg_follow_ups_daily`,
  `INSERT INTO agg_follow_ups_daily (follow_up_date, n)
     SELECT coalesce(m.follow_up_date, ''), count(*) FROM sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id
     WHERE m.follow_up_required = 1 AND m.follow_up_completed_at IS NULL AND m.deleted_at IS NULL AND l.deleted_at IS NULL GROUP BY 1`,
  `DELETE FROM agg_campaign_bookings_daily`,
  `INSERT INTO agg_campaign_bookings_daily (campaign_id, lead_date, amount)
     SELECT l.campaign_id, l.lead_date, sum(b.booking_amount) FROM sales_bookings b JOIN sales_leads l ON l.id = b.lead_id
     WHERE b.deleted_at IS NULL AND b.status <> 'cancelled' AND l.deleted_at IS NULL AND l.campaign_id IS NOT NULL GROUP BY 1, 2`,
  `DELETE FROM agg_leads_campaign_daily`,
  `INSERT INTO agg_leads_campaign_daily (lead_date, campaign_id, n, converted)
     SELECT lead_date, campaign_id, count(*), sum(CASE WHEN status = 'converted' THEN 1 ELSE 0 END)
     FROM sales_leads WHERE deleted_at IS NULL AND campaign_id IS NOT NULL GROUP BY 1, 2`,
  `DELETE FROM agg_ledger_customer_daily`,
  `INSERT INTO agg_ledger_customer_daily (customer_id, transaction_date, invoiced, paid, credit_notes, debit_notes, refunds, debit, credit, entries)
     SELECT customer_id, transaction_date, sum(CASE WHEN e.transaction_type = 'invoice' THEN e.debit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'payment' THEN e.credit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'credit_note' THEN e.credit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'debit_note' THEN e.debit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'refund' THEN e.debit_amount ELSE 0 END), sum(e.debit_amount), sum(e.credit_amount), count(*)
     FROM sales_account_ledgers e WHERE deleted_at IS NULL AND status <> 'cancelled' GROUP BY 1, 2`,
  `DELETE FROM agg_customer_first_booking`,
  `INSERT INTO agg_customer_first_booking (customer_id, first_date)
     SELECT c.id, min(b.booking_date) FROM sales_customers c JOIN sales_bookings b ON b.customer_id = c.id
     WHERE c.deleted_at IS NULL AND b.deleted_at IS NULL AND b.status <> 'cancelled' GROUP BY c.id`,
  `DELETE FROM agg_lead_activity`,
  `INSERT INTO agg_lead_activity (lead_id, status, activity_date)
     SELECT a.lead_id, a.status, max(a.d) FROM (
       SELECT l.id AS lead_id, l.status, l.lead_date AS d FROM sales_leads l
       WHERE l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation')
       UNION ALL
       SELECT l.id, l.status, m.milestone_date FROM sales_leads l JOIN sales_lead_milestones m ON m.lead_id = l.id AND m.deleted_at IS NULL
       WHERE l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation')
       UNION ALL
       SELECT l.id, l.status, e.engagement_date FROM sales_leads l JOIN sales_lead_engagement e ON e.lead_id = l.id AND e.deleted_at IS NULL
       WHERE l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation')
     ) a GROUP BY a.lead_id, a.status`,
  // The monthly tables (and the day totals of leads) from the daily ones (migration
  // 0007), after all of those.
  `DELETE FROM agg_leads_daily_totals`,
  `INSERT INTO agg_leads_daily_totals (lead_date, n, contacted, qualified, negotiation, converted, lost)
     SELECT d.lead_date, sum(d.n), sum(CASE WHEN d.reached_rank >= 1 THEN d.n ELSE 0 END), sum(CASE WHEN d.reached_rank >= 2 THEN d.n ELSE 0 END), sum(CASE WHEN d.reached_rank >= 3 THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'converted' THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'lost' THEN d.n ELSE 0 END) FROM agg_leads_daily d GROUP BY 1`,
  `DELETE FROM agg_leads_monthly`,
  `INSERT INTO agg_leads_monthly (month, n, contacted, qualified, negotiation, converted, lost)
     SELECT substr(d.lead_date, 1, 7), sum(d.n), sum(CASE WHEN d.reached_rank >= 1 THEN d.n ELSE 0 END), sum(CASE WHEN d.reached_rank >= 2 THEN d.n ELSE 0 END), sum(CASE WHEN d.reached_rank >= 3 THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'converted' THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'lost' THEN d.n ELSE 0 END) FROM agg_leads_daily d GROUP BY 1`,
  `DELETE FROM agg_leads_source_monthly`,
  `INSERT INTO agg_leads_source_monthly (source_key, month, n, qualified, converted, lost)
     SELECT d.source_key, substr(d.lead_date, 1, 7), sum(d.n), sum(CASE WHEN d.reached_rank >= 2 THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'converted' THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'lost' THEN d.n ELSE 0 END) FROM agg_leads_source_daily d GROUP BY 1, 2`,
  `DELETE FROM agg_leads_source_totals`,
  `INSERT INTO agg_leads_source_totals (source_key, n, qualified, converted, lost)
     SELECT d.source_key, sum(d.n), sum(d.qualified), sum(d.converted), sum(d.lost) FROM agg_leads_source_monthly d GROUP BY 1`,
  `DELETE FROM agg_leads_campaign_monthly`,
  `INSERT INTO agg_leads_campaign_monthly (campaign_id, month, n, converted)
     SELECT d.campaign_id, substr(d.lead_date, 1, 7), sum(d.n), sum(d.converted) FROM agg_leads_campaign_daily d GROUP BY 1, 2`,
  `DELETE FROM agg_campaign_bookings_monthly`,
  `INSERT INTO agg_campaign_bookings_monthly (campaign_id, month, amount)
     SELECT d.campaign_id, substr(d.lead_date, 1, 7), sum(d.amount) FROM agg_campaign_bookings_daily d GROUP BY 1, 2`,
  `DELETE FROM agg_bookings_monthly`,
  `INSERT INTO agg_bookings_monthly (status, month, n, amount, units)
     SELECT d.status, substr(d.booking_date, 1, 7), sum(d.n), sum(d.amount), sum(d.units) FROM agg_bookings_daily d GROUP BY 1, 2`,
  `DELETE FROM agg_ledger_monthly`,
  `INSERT INTO agg_ledger_monthly (month, invoiced, paid, debit, credit, entries)
     SELECT substr(d.transaction_date, 1, 7), sum(d.invoiced), sum(d.paid), sum(d.debit), sum(d.credit), sum(d.entries) FROM agg_ledger_daily d GROUP BY 1`,
  `DELETE FROM agg_ledger_customer_monthly`,
  `INSERT INTO agg_ledger_customer_monthly (customer_id, month, invoiced, paid, credit_notes, debit_notes, refunds, debit, credit, entries, last_date)
     SELECT d.customer_id, substr(d.transaction_date, 1, 7), sum(d.invoiced), sum(d.paid), sum(d.credit_notes), sum(d.debit_notes), sum(d.refunds), sum(d.debit), sum(d.credit), sum(d.entries), max(CASE WHEN d.entries > 0 THEN d.transaction_date END) FROM agg_ledger_customer_daily d GROUP BY 1, 2`,
];

export function rebuildAggregates(db: Database.Database): void {
  db.transaction(() => {
    // The triggers that carry daily counts into monthly ones stand aside: the
    // monthly tables are recounted whole, after the daily ones.
    const chained = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'agg\\_%' ESCAPE '\\'").all() as { name: string; sql: string }[];
    for (const t of chained) db.exec(`DROP TRIGGER "${t.name}"`);
    for (const sql of REBUILD) db.exec(sql);
    for (const t of chained) db.exec(t.sql);
  })();
  rebuildReceivables(db);
}

/**
 * Run a bulk load with the secondary indexes and aggregate triggers of the given
 * tables set aside, then put them back (unique indexes re-check their columns) and
 * recount the aggregates.
 */
export function withBulkLoad<T>(db: Database.Database, tables: string[], load: () => T): T {
  const marks = tables.map(() => '?').join(', ');
  const deferred = db
    .prepare(`SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN (${marks}) AND type IN ('index', 'trigger') AND sql IS NOT NULL`)
    .all(...tables) as { type: 'index' | 'trigger'; name: string; sql: string }[];
  for (const d of deferred) db.exec(`DROP ${d.type.toUpperCase()} "${d.name}"`);
  try {
    return load();
  } finally {
    // Index builds sort their keys; helper threads let SQLite's sorter use both cores.
    const threads = db.pragma('threads', { simple: true });
    db.pragma('threads = 2');
    db.transaction(() => {
      for (const d of deferred.filter((x) => x.type === 'index')) db.exec(d.sql);
    })();
    db.pragma(`threads = ${String(threads)}`);
    rebuildAggregates(db);
    db.transaction(() => {
      for (const d of deferred.filter((x) => x.type === 'trigger')) db.exec(d.sql);
    })();
  }
}

/** Each aggregate table's definition as a query: its columns and the SELECT that fills it. */
export function aggregateDefinitions(): { table: string; columns: string; select: string }[] {
  return REBUILD.filter((sql) => sql.startsWith('INSERT')).map((sql) => {
    const m = /^INSERT INTO (\w+) \(([^)]*)\)\s+(SELECT[\s\S]*)$/.exec(sql);
    if (!m) throw new Error(`not an aggregate fill: ${sql.slice(0, 60)}`);
    return { table: m[1]!, columns: m[2]!, select: m[3]! };
  });
}

// Leads inserted many at a time (a lead import): the work of the four AFTER INSERT
// triggers on sales_leads, done once per set instead of once per row — grouped
// upserts whose chained triggers (daily totals, monthly, source totals) see one
// change per group. The leads are given as a JSON array of ids (@ids).
const NEW_LEADS = `FROM sales_leads WHERE id IN (SELECT value FROM json_each(@ids)) AND deleted_at IS NULL`;
const LEAD_INSERT_TRIGGERS = ['agg_leads_daily_insert', 'agg_leads_source_insert', 'agg_leads_campaign_insert', 'agg_lead_activity_lead_insert'];
const LEAD_INSERT_AGGREGATES = [
  `INSERT INTO agg_leads_daily (lead_date, status, reached_rank, n)
     SELECT lead_date, status, reached_rank, count(*) ${NEW_LEADS} GROUP BY 1, 2, 3
     ON CONFLICT (lead_date, status, reached_rank) DO UPDATE SET n = n + excluded.n`,
  `INSERT INTO agg_leads_source_daily (source_key, lead_date, status, reached_rank, n)
     SELECT coalesce(source_id, ''), lead_date, status, reached_rank, count(*) ${NEW_LEADS} GROUP BY 1, 2, 3, 4
     ON CONFLICT (source_key, lead_date, status, reached_rank) DO UPDATE SET n = n + excluded.n`,
  `INSERT INTO agg_leads_campaign_daily (lead_date, campaign_id, n, converted)
     SELECT lead_date, campaign_id, count(*), sum(CASE WHEN status = 'converted' THEN 1 ELSE 0 END) ${NEW_LEADS} AND campaign_id IS NOT NULL GROUP BY 1, 2
     ON CONFLICT (lead_date, campaign_id) DO UPDATE SET n = n + excluded.n, converted = converted + excluded.converted`,
  `INSERT OR REPLACE INTO agg_lead_activity (lead_id, status, activity_date)
     SELECT l.id, l.status, ${LEAD_LAST_ACTIVITY}
     FROM sales_leads l WHERE l.id IN (SELECT value FROM json_each(@ids)) AND l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation')`,
];

/**
 * Insert many new leads (inside the caller's transaction) with the per-row insert
 * triggers set aside and their aggregates counted once for the set; the triggers are
 * back before the transaction commits, so nothing else ever sees them missing.
 * `insert` answers the ids of the leads it inserted.
 */
export function insertingLeadsInBulk<T>(db: Database.Database, insert: () => { ids: string[]; result: T }): T {
  if (!db.inTransaction) throw new Error('insertingLeadsInBulk needs the caller\'s transaction');
  const marks = LEAD_INSERT_TRIGGERS.map(() => '?').join(', ');
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${marks})`).all(...LEAD_INSERT_TRIGGERS) as { name: string; sql: string }[];
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
  const { ids, result } = insert();
  for (const sql of LEAD_INSERT_AGGREGATES) db.prepare(sql).run({ ids: JSON.stringify(ids) });
  for (const t of triggers) db.exec(t.sql);
  return result;
}
