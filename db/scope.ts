import Database from 'better-sqlite3';
import { prepareCached } from './statements.js';

// SPEC §11 rep_scope = own: a sales rep sees only the leads assigned to them
// and what hangs off those leads — their milestones (and photos), engagements, status
// history and unit holds; the customers of those leads (linked either way, or by a
// booking of the lead); and those customers' bookings, payment schedules and ledger.
//
// Rather than teach every list, report, export and drill-down a second WHERE, a rep's
// reads run on a read-only connection of their own in which each of those tables is a
// TEMP VIEW of the same name holding only the rep's rows (SQLite resolves an unqualified
// name in the temp schema first), keyed by the share's lead and customer ids, which are
// worked out into two temp tables before each read (`fillScope`). Every figure kept ready by triggers for speed (the
// agg_* and rcv_* tables) is a view there too, worked out from the rep's rows by the
// same rule its triggers keep — so every query reads exactly what it would read in a
// database holding only the rep's data. The connection cannot write (SQLITE_OPEN_READONLY),
// so nothing read through it can change anything.

/** Whose leads: a username, or everything (to check the views against the kept tables). */
export type Scope = { rep: string } | 'everything';

/** The temp tables and views of a share, in order (a view may read those before it); `fillScope` says whose. */
export function scopeStatements(mainViews: { name: string; sql: string }[] = []): string[] {
  const view = (name: string, body: string) => `CREATE TEMP VIEW ${name} AS ${body}`;
  const ofLeads = (table: string) => view(table, `SELECT * FROM main.${table} WHERE lead_id IN (SELECT id FROM temp.scope_leads)`);
  const ofCustomers = (table: string) => view(table, `SELECT * FROM main.${table} WHERE customer_id IN (SELECT id FROM temp.scope_customers)`);
  const reached = `sum(reached_rank >= 1) AS contacted, sum(reached_rank >= 2) AS qualified, sum(reached_rank >= 3) AS negotiation,
    sum(status = 'converted') AS converted, sum(status = 'lost') AS lost`;
  const liveLeads = 'FROM sales_leads WHERE deleted_at IS NULL';
  const ledgerSums = `sum(CASE transaction_type WHEN 'invoice' THEN debit_amount WHEN 'debit_note' THEN debit_amount WHEN 'credit_note' THEN -credit_amount ELSE 0 END) AS invoiced,
    sum(CASE transaction_type WHEN 'payment' THEN credit_amount WHEN 'refund' THEN -debit_amount ELSE 0 END) AS paid,
    sum(debit_amount) AS debit, sum(credit_amount) AS credit, count(*) AS entries`;
  const customerLedgerSums = `sum(CASE WHEN transaction_type = 'invoice' THEN debit_amount ELSE 0 END) AS invoiced,
    sum(CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE 0 END) AS paid,
    sum(CASE WHEN transaction_type = 'credit_note' THEN credit_amount ELSE 0 END) AS credit_notes,
    sum(CASE WHEN transaction_type = 'debit_note' THEN debit_amount ELSE 0 END) AS debit_notes,
    sum(debit_amount) AS debit, sum(credit_amount) AS credit, count(*) AS entries`;
  const customerRefunds = "sum(CASE WHEN transaction_type = 'refund' THEN debit_amount ELSE 0 END) AS refunds";
  const liveLedger = "FROM sales_account_ledgers WHERE deleted_at IS NULL AND status <> 'cancelled'";
  const campaignBookings = `SELECT l.campaign_id, l.lead_date, b.booking_amount FROM sales_bookings b JOIN sales_leads l ON l.id = b.lead_id
    WHERE b.deleted_at IS NULL AND b.status <> 'cancelled' AND l.deleted_at IS NULL AND l.campaign_id IS NOT NULL`;
  return [
    // The ids of the share, filled by `fillScope` before each read (a view of them would be worked out again in every subquery).
    'CREATE TEMP TABLE scope_leads (id TEXT PRIMARY KEY) WITHOUT ROWID',
    'CREATE TEMP TABLE scope_customers (id TEXT PRIMARY KEY) WITHOUT ROWID',
    // The records.
    view('sales_leads', 'SELECT * FROM main.sales_leads WHERE id IN (SELECT id FROM temp.scope_leads)'),
    ofLeads('sales_lead_milestones'),
    view('sales_milestone_photos', 'SELECT * FROM main.sales_milestone_photos WHERE milestone_id IN (SELECT id FROM temp.sales_lead_milestones)'),
    ofLeads('sales_lead_engagement'),
    ofLeads('sales_lead_status_history'),
    ofLeads('sales_unit_holds'),
    view('sales_customers', 'SELECT * FROM main.sales_customers WHERE id IN (SELECT id FROM temp.scope_customers)'),
    ofCustomers('sales_bookings'),
    ofCustomers('sales_account_ledgers'),
    view('sales_payment_schedule', 'SELECT * FROM main.sales_payment_schedule WHERE booking_id IN (SELECT id FROM temp.sales_bookings)'),
    // The lead figures (migrations 0003, 0007, 0010): by day, month and source, of live leads.
    view('agg_leads_daily', `SELECT lead_date, status, reached_rank, count(*) AS n ${liveLeads} GROUP BY lead_date, status, reached_rank`),
    view('agg_leads_daily_totals', `SELECT lead_date, count(*) AS n, ${reached} ${liveLeads} GROUP BY lead_date`),
    view('agg_leads_monthly', `SELECT substr(lead_date, 1, 7) AS month, count(*) AS n, ${reached} ${liveLeads} GROUP BY 1`),
    view('agg_leads_source_daily', `SELECT coalesce(source_id, '') AS source_key, lead_date, status, reached_rank, count(*) AS n ${liveLeads} GROUP BY 1, 2, 3, 4`),
    view('agg_leads_source_monthly', `SELECT coalesce(source_id, '') AS source_key, substr(lead_date, 1, 7) AS month, count(*) AS n, sum(reached_rank >= 2) AS qualified,
      sum(status = 'converted') AS converted, sum(status = 'lost') AS lost ${liveLeads} GROUP BY 1, 2`),
    view('agg_leads_source_totals', `SELECT coalesce(source_id, '') AS source_key, count(*) AS n, sum(reached_rank >= 2) AS qualified,
      sum(status = 'converted') AS converted, sum(status = 'lost') AS lost ${liveLeads} GROUP BY 1`),
    view('agg_leads_campaign_daily', `SELECT lead_date, campaign_id, count(*) AS n, sum(status = 'converted') AS converted ${liveLeads} AND campaign_id IS NOT NULL GROUP BY 1, 2`),
    view('agg_leads_campaign_monthly', `SELECT campaign_id, substr(lead_date, 1, 7) AS month, count(*) AS n, sum(status = 'converted') AS converted ${liveLeads} AND campaign_id IS NOT NULL GROUP BY 1, 2`),
    view('agg_lead_activity', `SELECT l.id AS lead_id, l.status, max(l.lead_date,
      coalesce((SELECT max(milestone_date) FROM sales_lead_milestones WHERE lead_id = l.id AND deleted_at IS NULL), ''),
      coalesce((SELECT max(engagement_date) FROM sales_lead_engagement WHERE lead_id = l.id AND deleted_at IS NULL), '')) AS activity_date
      FROM sales_leads l WHERE l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation')`),
    view('agg_engagements_daily', 'SELECT engagement_date, count(*) AS n FROM sales_lead_engagement WHERE deleted_at IS NULL GROUP BY 1'),
    view('agg_follow_ups_daily', `SELECT coalesce(follow_up_date, '') AS follow_up_date, count(*) AS n FROM sales_lead_milestones m
      WHERE follow_up_required = 1 AND follow_up_completed_at IS NULL AND deleted_at IS NULL AND (SELECT deleted_at FROM sales_leads WHERE id = m.lead_id) IS NULL GROUP BY 1`),
    // The booking figures.
    view('agg_bookings_daily', 'SELECT booking_date, status, count(*) AS n, sum(booking_amount) AS amount, sum(units_booked) AS units FROM sales_bookings WHERE deleted_at IS NULL GROUP BY 1, 2'),
    view('agg_bookings_monthly', 'SELECT status, substr(booking_date, 1, 7) AS month, count(*) AS n, sum(booking_amount) AS amount, sum(units_booked) AS units FROM sales_bookings WHERE deleted_at IS NULL GROUP BY 1, 2'),
    view('agg_campaign_bookings_daily', `SELECT campaign_id, lead_date, sum(booking_amount) AS amount FROM (${campaignBookings}) GROUP BY 1, 2`),
    view('agg_campaign_bookings_monthly', `SELECT campaign_id, substr(lead_date, 1, 7) AS month, sum(booking_amount) AS amount FROM (${campaignBookings}) GROUP BY 1, 2`),
    view('agg_customer_first_booking', `SELECT c.id AS customer_id, min(b.booking_date) AS first_date FROM sales_customers c JOIN sales_bookings b ON b.customer_id = c.id
      WHERE c.deleted_at IS NULL AND b.deleted_at IS NULL AND b.status <> 'cancelled' GROUP BY c.id`),
    // The ledger figures.
    view('agg_ledger_daily', `SELECT transaction_date, ${ledgerSums} ${liveLedger} GROUP BY 1`),
    view('agg_ledger_monthly', `SELECT substr(transaction_date, 1, 7) AS month, ${ledgerSums} ${liveLedger} GROUP BY 1`),
    view('agg_ledger_customer_daily', `SELECT customer_id, transaction_date, ${customerLedgerSums}, ${customerRefunds} ${liveLedger} GROUP BY 1, 2`),
    view('agg_ledger_customer_monthly', `SELECT customer_id, substr(transaction_date, 1, 7) AS month, ${customerLedgerSums}, max(transaction_date) AS last_date, ${customerRefunds} ${liveLedger} GROUP BY 1, 2`),
    // Receivables kept on the device (migration 0016): allocations are per customer, so a rep's customers' rows are theirs whole.
    ofCustomersKept('rcv_instalments'),
    ofCustomersKept('rcv_customers'),
    ofCustomersKept('rcv_aging'),
    view('rcv_due_daily', 'SELECT due_date, count(*) AS n, sum(amount) AS amount, sum(paid) AS paid FROM rcv_instalments WHERE due_date IS NOT NULL GROUP BY 1'),
    view('rcv_receipts_daily', `SELECT transaction_date, sum(CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE -debit_amount END) AS amount FROM sales_account_ledgers
      WHERE transaction_type IN ('payment', 'refund') AND status = 'active' AND deleted_at IS NULL GROUP BY 1`),
    // The SPEC §5 views, made again here so that they read the rep's rows (a view of the main schema reads the main tables).
    ...mainViews.map((v) => v.sql.replace(/^CREATE\s+VIEW\s/i, 'CREATE TEMP VIEW ')),
  ];

  function ofCustomersKept(table: string) {
    return view(table, `SELECT * FROM main.${table} WHERE customer_id IN (SELECT id FROM temp.scope_customers)`);
  }
}

/**
 * Fill the share's ids as the data stands now: the rep's leads, and the customers of
 * those leads (linked either way, or by a live booking of the lead). Run before each read.
 */
export function fillScope(db: Database.Database, scope: Scope): void {
  const leads = scope === 'everything' ? 'SELECT id FROM main.sales_leads' : 'SELECT id FROM main.sales_leads WHERE assigned_to = @rep';
  const customers = scope === 'everything' ? 'SELECT id FROM main.sales_customers' : `
    SELECT customer_id FROM main.sales_leads WHERE assigned_to = @rep AND customer_id IS NOT NULL
    UNION SELECT c.id FROM temp.scope_leads l CROSS JOIN main.sales_customers c ON c.lead_id = l.id
    UNION SELECT b.customer_id FROM temp.scope_leads l CROSS JOIN main.sales_bookings b ON b.lead_id = l.id WHERE b.deleted_at IS NULL`;
  // CROSS JOIN: from the share's few leads into the indexes (the planner, knowing nothing of a temp table, would scan every booking).
  const params = scope === 'everything' ? {} : { rep: scope.rep };
  db.transaction(() => {
    prepareCached(db, 'DELETE FROM temp.scope_leads').run();
    prepareCached(db, `INSERT INTO temp.scope_leads ${leads}`).run(params);
    prepareCached(db, 'DELETE FROM temp.scope_customers').run();
    prepareCached(db, `INSERT OR IGNORE INTO temp.scope_customers ${customers}`).run(params);
  })();
}

/** The tables a scope replaces: every other table reads as it is (sources, campaigns, units, users…). */
export const SCOPED_TABLES = scopeStatements().flatMap((s) => /^CREATE TEMP VIEW (\w+)/.exec(s)?.[1] ?? []);

/** A read-only connection to a tenant's file in which the tables above hold only the scope's rows. */
export function openScoped(file: string, scope: Scope): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const mainViews = db.prepare("SELECT name, sql FROM main.sqlite_master WHERE type = 'view' ORDER BY name").all() as { name: string; sql: string }[];
    db.exec(scopeStatements(mainViews).join(';\n'));
    fillScope(db, scope);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
