import type Database from 'better-sqlite3';

// The aggregate tables of migrations 0003–0006 are derived; this recounts them from
// their tables. A bulk import (the benchmark's generator) loads with the triggers
// dropped and calls it once at the end; it also repairs them should that ever be needed.
const REBUILD = [
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
     SELECT transaction_date, sum(CASE WHEN transaction_type = 'invoice' THEN debit_amount ELSE 0 END),
            sum(CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE 0 END), sum(debit_amount), sum(credit_amount), count(*)
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
];

export function rebuildAggregates(db: Database.Database): void {
  db.transaction(() => {
    for (const sql of REBUILD) db.exec(sql);
  })();
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
    db.transaction(() => {
      for (const d of deferred.filter((x) => x.type === 'index')) db.exec(d.sql);
    })();
    rebuildAggregates(db);
    db.transaction(() => {
      for (const d of deferred.filter((x) => x.type === 'trigger')) db.exec(d.sql);
    })();
  }
}
