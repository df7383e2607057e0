// Postgres' side of the schema that is not a table: the helper functions report SQL
// calls, and the SPEC §5 report views of migrations/0001_report_views.sql written in
// Postgres' dialect (generate_series for the months, FILTER instead of summed
// booleans). They return the same rows as the SQLite views; a test compares them.

export const PG_FUNCTIONS = [
  // SQLite's julianday() for ISO dates and instants: day differences read alike.
  `CREATE OR REPLACE FUNCTION julianday(value text) RETURNS double precision
     LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
     AS $$ SELECT extract(epoch FROM value::timestamp)::double precision / 86400 + 2440587.5 $$`,
];

export const PG_VIEWS = [
  `CREATE VIEW v_lead_funnel_analysis AS
   WITH bounds AS (
     SELECT (substr(min(lead_date), 1, 7) || '-01')::date AS first_month, (substr(max(lead_date), 1, 7) || '-01')::date AS last_month
     FROM sales_leads WHERE deleted_at IS NULL
   ), months AS (
     SELECT to_char(m, 'YYYY-MM') COLLATE "C" AS month
     FROM bounds, generate_series(bounds.first_month, bounds.last_month, interval '1 month') AS m
   ), cohort AS (
     SELECT substr(lead_date, 1, 7) AS month, count(*) AS total_leads,
            count(*) FILTER (WHERE reached_rank >= 1) AS contacted, count(*) FILTER (WHERE reached_rank >= 2) AS qualified,
            count(*) FILTER (WHERE reached_rank >= 3) AS negotiation,
            count(*) FILTER (WHERE status = 'converted') AS converted, count(*) FILTER (WHERE status = 'lost') AS lost
     FROM sales_leads WHERE deleted_at IS NULL GROUP BY substr(lead_date, 1, 7)
   )
   SELECT months.month,
          coalesce(c.total_leads, 0) AS total_leads, coalesce(c.contacted, 0) AS contacted,
          coalesce(c.qualified, 0) AS qualified, coalesce(c.negotiation, 0) AS negotiation,
          coalesce(c.converted, 0) AS converted, coalesce(c.lost, 0) AS lost,
          CASE WHEN coalesce(c.total_leads, 0) = 0 THEN 0 ELSE round(100.0 * c.converted / c.total_leads, 2) END AS conversion_rate
   FROM months LEFT JOIN cohort c ON c.month = months.month`,
  `CREATE VIEW v_lead_source_performance AS
   WITH counts AS (
     SELECT source_id, count(*) AS total_leads, count(*) FILTER (WHERE reached_rank >= 2) AS qualified_leads,
            count(*) FILTER (WHERE status = 'converted') AS converted_leads, count(*) FILTER (WHERE status = 'lost') AS lost_leads
     FROM sales_leads WHERE deleted_at IS NULL GROUP BY source_id
   )
   SELECT s.id AS source_id, s.source_name, s.source_type, s.subsource_name, s.channel,
          coalesce(c.total_leads, 0) AS total_leads, coalesce(c.qualified_leads, 0) AS qualified_leads,
          coalesce(c.converted_leads, 0) AS converted_leads, coalesce(c.lost_leads, 0) AS lost_leads,
          CASE WHEN coalesce(c.total_leads, 0) = 0 THEN 0 ELSE round(100.0 * c.converted_leads / c.total_leads, 2) END AS conversion_rate
   FROM sales_lead_sources s LEFT JOIN counts c ON c.source_id = s.id
   WHERE s.deleted_at IS NULL OR c.total_leads > 0
   UNION ALL
   SELECT NULL, '(no source)', NULL, NULL, NULL, total_leads, qualified_leads, converted_leads, lost_leads,
          round(100.0 * converted_leads / total_leads, 2)
   FROM counts WHERE source_id IS NULL`,
  `CREATE VIEW v_campaign_performance AS
   WITH lead_counts AS (
     SELECT campaign_id, count(*) AS total_leads, count(*) FILTER (WHERE status = 'converted') AS converted_leads
     FROM sales_leads WHERE deleted_at IS NULL AND campaign_id IS NOT NULL GROUP BY campaign_id
   ), booked AS (
     SELECT l.campaign_id, sum(b.booking_amount) AS booked_minor
     FROM sales_bookings b JOIN sales_leads l ON l.id = b.lead_id
     WHERE b.status <> 'cancelled' AND b.deleted_at IS NULL AND l.deleted_at IS NULL AND l.campaign_id IS NOT NULL
     GROUP BY l.campaign_id
   )
   SELECT c.id AS campaign_id, c.campaign_code, c.campaign_name, c.campaign_type, c.status,
          c.budget / 100.0 AS budget, c.expected_roi,
          coalesce(lc.total_leads, 0) AS total_leads, coalesce(lc.converted_leads, 0) AS converted_leads,
          CASE WHEN coalesce(lc.total_leads, 0) = 0 THEN 0 ELSE round(100.0 * lc.converted_leads / lc.total_leads, 2) END AS conversion_rate,
          coalesce(bk.booked_minor, 0) / 100.0 AS booked_amount,
          CASE WHEN coalesce(lc.total_leads, 0) = 0 THEN 0 ELSE round(c.budget / 100.0 / lc.total_leads, 2) END AS cost_per_lead,
          CASE WHEN c.budget = 0 THEN 0 ELSE round(100.0 * (coalesce(bk.booked_minor, 0) - c.budget) / c.budget, 2) END AS actual_roi
   FROM sales_campaigns c
   LEFT JOIN lead_counts lc ON lc.campaign_id = c.id
   LEFT JOIN booked bk ON bk.campaign_id = c.id
   WHERE c.deleted_at IS NULL`,
  `CREATE VIEW v_booking_summary AS
   WITH statuses(status, ord) AS (
     VALUES ('confirmed' COLLATE "C", 1), ('pending', 2), ('cancelled', 3), ('completed', 4), ('on_hold', 5)
   )
   SELECT s.status, count(b.id) AS booking_count,
          coalesce(sum(b.booking_amount), 0) / 100.0 AS total_amount,
          coalesce(sum(b.units_booked), 0) AS units_booked,
          CASE WHEN count(b.id) = 0 THEN 0 ELSE round(sum(b.booking_amount) / 100.0 / count(b.id), 2) END AS average_amount
   FROM statuses s LEFT JOIN sales_bookings b ON b.status = s.status AND b.deleted_at IS NULL
   GROUP BY s.status, s.ord
   ORDER BY s.ord`,
  `CREATE VIEW v_customer_ledger_summary AS
   SELECT c.id AS customer_id, c.customer_code, c.name AS customer_name,
          coalesce(sum(CASE WHEN e.transaction_type = 'invoice' THEN e.debit_amount END), 0) / 100.0 AS total_invoiced,
          coalesce(sum(CASE WHEN e.transaction_type = 'payment' THEN e.credit_amount END), 0) / 100.0 AS total_paid,
          coalesce(sum(CASE WHEN e.transaction_type = 'credit_note' THEN e.credit_amount END), 0) / 100.0 AS total_credit_notes,
          coalesce(sum(CASE WHEN e.transaction_type = 'debit_note' THEN e.debit_amount END), 0) / 100.0 AS total_debit_notes,
          coalesce(sum(CASE WHEN e.transaction_type = 'refund' THEN e.debit_amount END), 0) / 100.0 AS total_refunds,
          coalesce(sum(e.debit_amount - e.credit_amount), 0) / 100.0 AS outstanding_balance,
          count(e.id) AS entry_count, max(e.transaction_date) AS last_transaction_date
   FROM sales_customers c
   LEFT JOIN sales_account_ledgers e ON e.customer_id = c.id AND e.status <> 'cancelled' AND e.deleted_at IS NULL
   WHERE c.deleted_at IS NULL
   GROUP BY c.id, c.customer_code, c.name`,
  `CREATE VIEW v_lead_milestone_timeline AS
   SELECT m.lead_id, m.id AS milestone_id,
          row_number() OVER w AS sequence,
          m.milestone_type, m.milestone_date, m.milestone_time, m.location_name, m.visited_by, m.outcome,
          m.follow_up_date, m.notes,
          CAST(julianday(m.milestone_date) - julianday(lag(m.milestone_date) OVER w) AS INTEGER) AS days_since_previous,
          CAST(julianday(m.milestone_date) - julianday(first_value(m.milestone_date) OVER w) AS INTEGER) AS days_since_first
   FROM sales_lead_milestones m
   WHERE m.deleted_at IS NULL
   WINDOW w AS (PARTITION BY m.lead_id ORDER BY m.milestone_date, coalesce(m.milestone_time, ''), m.created_at, m.id)`,
];
