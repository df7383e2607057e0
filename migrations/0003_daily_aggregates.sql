-- Daily aggregates, kept by triggers in the same transaction as every write, so the
-- funnel, booking summary and dashboard read a few hundred rows instead of millions
-- (issue 6). They are derived: each can be rebuilt from its table at any time, and a
-- row counts only while it is live (not soft-deleted; ledger entries: not cancelled).
CREATE TABLE `agg_leads_daily` (
  `lead_date` text NOT NULL, `status` text NOT NULL, `reached_rank` integer NOT NULL, `n` integer NOT NULL,
  PRIMARY KEY (`lead_date`, `status`, `reached_rank`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO agg_leads_daily (lead_date, status, reached_rank, n)
  SELECT lead_date, status, reached_rank, count(*) FROM sales_leads WHERE deleted_at IS NULL GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER agg_leads_daily_insert AFTER INSERT ON sales_leads WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO agg_leads_daily (lead_date, status, reached_rank, n) VALUES (NEW.lead_date, NEW.status, NEW.reached_rank, 1)
  ON CONFLICT (lead_date, status, reached_rank) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER agg_leads_daily_update_old AFTER UPDATE OF lead_date, status, reached_rank, deleted_at ON sales_leads WHEN OLD.deleted_at IS NULL BEGIN
  UPDATE agg_leads_daily SET n = n - 1 WHERE lead_date = OLD.lead_date AND status = OLD.status AND reached_rank = OLD.reached_rank;
END;
--> statement-breakpoint
CREATE TRIGGER agg_leads_daily_update_new AFTER UPDATE OF lead_date, status, reached_rank, deleted_at ON sales_leads WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO agg_leads_daily (lead_date, status, reached_rank, n) VALUES (NEW.lead_date, NEW.status, NEW.reached_rank, 1)
  ON CONFLICT (lead_date, status, reached_rank) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TABLE `agg_bookings_daily` (
  `booking_date` text NOT NULL, `status` text NOT NULL, `n` integer NOT NULL, `amount` integer NOT NULL, `units` integer NOT NULL,
  PRIMARY KEY (`booking_date`, `status`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO agg_bookings_daily (booking_date, status, n, amount, units)
  SELECT booking_date, status, count(*), sum(booking_amount), sum(units_booked) FROM sales_bookings WHERE deleted_at IS NULL GROUP BY 1, 2;
--> statement-breakpoint
CREATE TRIGGER agg_bookings_daily_insert AFTER INSERT ON sales_bookings WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO agg_bookings_daily (booking_date, status, n, amount, units) VALUES (NEW.booking_date, NEW.status, 1, NEW.booking_amount, NEW.units_booked)
  ON CONFLICT (booking_date, status) DO UPDATE SET n = n + 1, amount = amount + excluded.amount, units = units + excluded.units;
END;
--> statement-breakpoint
CREATE TRIGGER agg_bookings_daily_update_old AFTER UPDATE OF booking_date, status, booking_amount, units_booked, deleted_at ON sales_bookings WHEN OLD.deleted_at IS NULL BEGIN
  UPDATE agg_bookings_daily SET n = n - 1, amount = amount - OLD.booking_amount, units = units - OLD.units_booked
  WHERE booking_date = OLD.booking_date AND status = OLD.status;
END;
--> statement-breakpoint
CREATE TRIGGER agg_bookings_daily_update_new AFTER UPDATE OF booking_date, status, booking_amount, units_booked, deleted_at ON sales_bookings WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO agg_bookings_daily (booking_date, status, n, amount, units) VALUES (NEW.booking_date, NEW.status, 1, NEW.booking_amount, NEW.units_booked)
  ON CONFLICT (booking_date, status) DO UPDATE SET n = n + 1, amount = amount + excluded.amount, units = units + excluded.units;
END;
--> statement-breakpoint
CREATE TABLE `agg_ledger_daily` (
  `transaction_date` text PRIMARY KEY NOT NULL, `invoiced` integer NOT NULL, `paid` integer NOT NULL,
  `debit` integer NOT NULL, `credit` integer NOT NULL, `entries` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO agg_ledger_daily (transaction_date, invoiced, paid, debit, credit, entries)
  SELECT transaction_date,
         sum(CASE WHEN transaction_type = 'invoice' THEN debit_amount ELSE 0 END), sum(CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE 0 END),
         sum(debit_amount), sum(credit_amount), count(*)
  FROM sales_account_ledgers WHERE deleted_at IS NULL AND status <> 'cancelled' GROUP BY 1;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_daily_insert AFTER INSERT ON sales_account_ledgers WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' BEGIN
  INSERT INTO agg_ledger_daily (transaction_date, invoiced, paid, debit, credit, entries)
  VALUES (NEW.transaction_date, CASE WHEN NEW.transaction_type = 'invoice' THEN NEW.debit_amount ELSE 0 END,
          CASE WHEN NEW.transaction_type = 'payment' THEN NEW.credit_amount ELSE 0 END, NEW.debit_amount, NEW.credit_amount, 1)
  ON CONFLICT (transaction_date) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid,
    debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + 1;
END;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_daily_update_old AFTER UPDATE OF transaction_date, transaction_type, debit_amount, credit_amount, status, deleted_at ON sales_account_ledgers
WHEN OLD.deleted_at IS NULL AND OLD.status <> 'cancelled' BEGIN
  UPDATE agg_ledger_daily SET invoiced = invoiced - CASE WHEN OLD.transaction_type = 'invoice' THEN OLD.debit_amount ELSE 0 END,
    paid = paid - CASE WHEN OLD.transaction_type = 'payment' THEN OLD.credit_amount ELSE 0 END,
    debit = debit - OLD.debit_amount, credit = credit - OLD.credit_amount, entries = entries - 1
  WHERE transaction_date = OLD.transaction_date;
END;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_daily_update_new AFTER UPDATE OF transaction_date, transaction_type, debit_amount, credit_amount, status, deleted_at ON sales_account_ledgers
WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' BEGIN
  INSERT INTO agg_ledger_daily (transaction_date, invoiced, paid, debit, credit, entries)
  VALUES (NEW.transaction_date, CASE WHEN NEW.transaction_type = 'invoice' THEN NEW.debit_amount ELSE 0 END,
          CASE WHEN NEW.transaction_type = 'payment' THEN NEW.credit_amount ELSE 0 END, NEW.debit_amount, NEW.credit_amount, 1)
  ON CONFLICT (transaction_date) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid,
    debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + 1;
END;
--> statement-breakpoint
CREATE TABLE `agg_engagements_daily` (`engagement_date` text PRIMARY KEY NOT NULL, `n` integer NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO agg_engagements_daily (engagement_date, n) SELECT engagement_date, count(*) FROM sales_lead_engagement WHERE deleted_at IS NULL GROUP BY 1;
--> statement-breakpoint
CREATE TRIGGER agg_engagements_daily_insert AFTER INSERT ON sales_lead_engagement WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO agg_engagements_daily (engagement_date, n) VALUES (NEW.engagement_date, 1) ON CONFLICT (engagement_date) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER agg_engagements_daily_update_old AFTER UPDATE OF engagement_date, deleted_at ON sales_lead_engagement WHEN OLD.deleted_at IS NULL BEGIN
  UPDATE agg_engagements_daily SET n = n - 1 WHERE engagement_date = OLD.engagement_date;
END;
--> statement-breakpoint
CREATE TRIGGER agg_engagements_daily_update_new AFTER UPDATE OF engagement_date, deleted_at ON sales_lead_engagement WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO agg_engagements_daily (engagement_date, n) VALUES (NEW.engagement_date, 1) ON CONFLICT (engagement_date) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE INDEX `sales_bookings_customer_live_idx` ON `sales_bookings` (`customer_id`, `status`, `booking_date`) WHERE deleted_at IS NULL;
