-- Monthly aggregates beside the daily ones (issue 6). A report over a period reads
-- the whole months inside it from these (a dozen rows where the daily tables hold
-- hundreds or thousands) and only the days at either end from the daily tables
-- (db/reports/params.ts monthlySplit). Each monthly table is kept by triggers on its
-- daily table, so every write that moves a daily count moves the month's in the same
-- transaction; they are derived and db/aggregates.ts can recount them.
-- Also new: leads per campaign and ledger entries per customer, daily and monthly,
-- so the campaign and customer ledger reports stop reading leads and entries, and
-- each live customer's first live booking date, for the dashboard's active customers.
CREATE TABLE `agg_leads_campaign_daily` (
  `lead_date` text NOT NULL, `campaign_id` text NOT NULL, `n` integer NOT NULL, `converted` integer NOT NULL,
  PRIMARY KEY (`lead_date`, `campaign_id`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_leads_campaign_daily (lead_date, campaign_id, n, converted)
  SELECT lead_date, campaign_id, count(*), sum(CASE WHEN status = 'converted' THEN 1 ELSE 0 END)
  FROM sales_leads WHERE deleted_at IS NULL AND campaign_id IS NOT NULL GROUP BY 1, 2
--> statement-breakpoint
CREATE TRIGGER agg_leads_campaign_insert AFTER INSERT ON sales_leads
WHEN NEW.deleted_at IS NULL AND NEW.campaign_id IS NOT NULL BEGIN
  INSERT INTO agg_leads_campaign_daily (lead_date, campaign_id, n, converted)
  VALUES (NEW.lead_date, NEW.campaign_id, 1, CASE WHEN NEW.status = 'converted' THEN 1 ELSE 0 END)
  ON CONFLICT (lead_date, campaign_id) DO UPDATE SET n = n + 1, converted = converted + excluded.converted;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_campaign_update_old AFTER UPDATE OF campaign_id, lead_date, status, deleted_at ON sales_leads
WHEN OLD.deleted_at IS NULL AND OLD.campaign_id IS NOT NULL BEGIN
  UPDATE agg_leads_campaign_daily SET n = n - 1, converted = converted - CASE WHEN OLD.status = 'converted' THEN 1 ELSE 0 END
  WHERE lead_date = OLD.lead_date AND campaign_id = OLD.campaign_id;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_campaign_update_new AFTER UPDATE OF campaign_id, lead_date, status, deleted_at ON sales_leads
WHEN NEW.deleted_at IS NULL AND NEW.campaign_id IS NOT NULL BEGIN
  INSERT INTO agg_leads_campaign_daily (lead_date, campaign_id, n, converted)
  VALUES (NEW.lead_date, NEW.campaign_id, 1, CASE WHEN NEW.status = 'converted' THEN 1 ELSE 0 END)
  ON CONFLICT (lead_date, campaign_id) DO UPDATE SET n = n + 1, converted = converted + excluded.converted;
END
--> statement-breakpoint
CREATE TABLE `agg_ledger_customer_daily` (
  `customer_id` text NOT NULL, `transaction_date` text NOT NULL, `invoiced` integer NOT NULL, `paid` integer NOT NULL, `credit_notes` integer NOT NULL, `debit_notes` integer NOT NULL, `debit` integer NOT NULL, `credit` integer NOT NULL, `entries` integer NOT NULL,
  PRIMARY KEY (`customer_id`, `transaction_date`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_ledger_customer_daily (customer_id, transaction_date, invoiced, paid, credit_notes, debit_notes, debit, credit, entries)
  SELECT customer_id, transaction_date, sum(CASE WHEN e.transaction_type = 'invoice' THEN e.debit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'payment' THEN e.credit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'credit_note' THEN e.credit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'debit_note' THEN e.debit_amount ELSE 0 END), sum(e.debit_amount), sum(e.credit_amount), count(*)
  FROM sales_account_ledgers e WHERE deleted_at IS NULL AND status <> 'cancelled' GROUP BY 1, 2
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_insert AFTER INSERT ON sales_account_ledgers
WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' BEGIN
  INSERT INTO agg_ledger_customer_daily (customer_id, transaction_date, invoiced, paid, credit_notes, debit_notes, debit, credit, entries)
  VALUES (NEW.customer_id, NEW.transaction_date, CASE WHEN NEW.transaction_type = 'invoice' THEN NEW.debit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'payment' THEN NEW.credit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'credit_note' THEN NEW.credit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'debit_note' THEN NEW.debit_amount ELSE 0 END, NEW.debit_amount, NEW.credit_amount, 1)
  ON CONFLICT (customer_id, transaction_date) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid, credit_notes = credit_notes + excluded.credit_notes, debit_notes = debit_notes + excluded.debit_notes, debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + excluded.entries;
END
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_update_old AFTER UPDATE OF customer_id, transaction_date, transaction_type, debit_amount, credit_amount, status, deleted_at ON sales_account_ledgers
WHEN OLD.deleted_at IS NULL AND OLD.status <> 'cancelled' BEGIN
  UPDATE agg_ledger_customer_daily SET invoiced = invoiced - CASE WHEN OLD.transaction_type = 'invoice' THEN OLD.debit_amount ELSE 0 END, paid = paid - CASE WHEN OLD.transaction_type = 'payment' THEN OLD.credit_amount ELSE 0 END, credit_notes = credit_notes - CASE WHEN OLD.transaction_type = 'credit_note' THEN OLD.credit_amount ELSE 0 END, debit_notes = debit_notes - CASE WHEN OLD.transaction_type = 'debit_note' THEN OLD.debit_amount ELSE 0 END, debit = debit - OLD.debit_amount, credit = credit - OLD.credit_amount, entries = entries - 1
  WHERE customer_id = OLD.customer_id AND transaction_date = OLD.transaction_date;
END
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_update_new AFTER UPDATE OF customer_id, transaction_date, transaction_type, debit_amount, credit_amount, status, deleted_at ON sales_account_ledgers
WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' BEGIN
  INSERT INTO agg_ledger_customer_daily (customer_id, transaction_date, invoiced, paid, credit_notes, debit_notes, debit, credit, entries)
  VALUES (NEW.customer_id, NEW.transaction_date, CASE WHEN NEW.transaction_type = 'invoice' THEN NEW.debit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'payment' THEN NEW.credit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'credit_note' THEN NEW.credit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'debit_note' THEN NEW.debit_amount ELSE 0 END, NEW.debit_amount, NEW.credit_amount, 1)
  ON CONFLICT (customer_id, transaction_date) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid, credit_notes = credit_notes + excluded.credit_notes, debit_notes = debit_notes + excluded.debit_notes, debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + excluded.entries;
END
--> statement-breakpoint
CREATE INDEX `agg_leads_source_daily_date_idx` ON `agg_leads_source_daily` (`lead_date`, `source_key`, `status`, `reached_rank`, `n`)
--> statement-breakpoint
CREATE INDEX `agg_campaign_bookings_daily_date_idx` ON `agg_campaign_bookings_daily` (`lead_date`, `campaign_id`, `amount`)
--> statement-breakpoint
CREATE TABLE `agg_leads_daily_totals` (
  `lead_date` text NOT NULL, `n` integer NOT NULL, `contacted` integer NOT NULL, `qualified` integer NOT NULL, `negotiation` integer NOT NULL, `converted` integer NOT NULL, `lost` integer NOT NULL,
  PRIMARY KEY (`lead_date`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_leads_daily_totals (lead_date, n, contacted, qualified, negotiation, converted, lost)
  SELECT d.lead_date, sum(d.n), sum(CASE WHEN d.reached_rank >= 1 THEN d.n ELSE 0 END), sum(CASE WHEN d.reached_rank >= 2 THEN d.n ELSE 0 END), sum(CASE WHEN d.reached_rank >= 3 THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'converted' THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'lost' THEN d.n ELSE 0 END) FROM agg_leads_daily d GROUP BY 1
--> statement-breakpoint
CREATE TRIGGER agg_leads_daily_totals_insert AFTER INSERT ON agg_leads_daily BEGIN
  INSERT INTO agg_leads_daily_totals (lead_date, n, contacted, qualified, negotiation, converted, lost) VALUES (NEW.lead_date, NEW.n, CASE WHEN NEW.reached_rank >= 1 THEN NEW.n ELSE 0 END, CASE WHEN NEW.reached_rank >= 2 THEN NEW.n ELSE 0 END, CASE WHEN NEW.reached_rank >= 3 THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'converted' THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'lost' THEN NEW.n ELSE 0 END)
  ON CONFLICT (lead_date) DO UPDATE SET n = n + excluded.n, contacted = contacted + excluded.contacted, qualified = qualified + excluded.qualified, negotiation = negotiation + excluded.negotiation, converted = converted + excluded.converted, lost = lost + excluded.lost;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_daily_totals_update AFTER UPDATE ON agg_leads_daily BEGIN
  UPDATE agg_leads_daily_totals SET n = n - OLD.n, contacted = contacted - CASE WHEN OLD.reached_rank >= 1 THEN OLD.n ELSE 0 END, qualified = qualified - CASE WHEN OLD.reached_rank >= 2 THEN OLD.n ELSE 0 END, negotiation = negotiation - CASE WHEN OLD.reached_rank >= 3 THEN OLD.n ELSE 0 END, converted = converted - CASE WHEN OLD.status = 'converted' THEN OLD.n ELSE 0 END, lost = lost - CASE WHEN OLD.status = 'lost' THEN OLD.n ELSE 0 END WHERE lead_date = OLD.lead_date;
  INSERT INTO agg_leads_daily_totals (lead_date, n, contacted, qualified, negotiation, converted, lost) VALUES (NEW.lead_date, NEW.n, CASE WHEN NEW.reached_rank >= 1 THEN NEW.n ELSE 0 END, CASE WHEN NEW.reached_rank >= 2 THEN NEW.n ELSE 0 END, CASE WHEN NEW.reached_rank >= 3 THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'converted' THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'lost' THEN NEW.n ELSE 0 END)
  ON CONFLICT (lead_date) DO UPDATE SET n = n + excluded.n, contacted = contacted + excluded.contacted, qualified = qualified + excluded.qualified, negotiation = negotiation + excluded.negotiation, converted = converted + excluded.converted, lost = lost + excluded.lost;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_daily_totals_delete AFTER DELETE ON agg_leads_daily BEGIN
  UPDATE agg_leads_daily_totals SET n = n - OLD.n, contacted = contacted - CASE WHEN OLD.reached_rank >= 1 THEN OLD.n ELSE 0 END, qualified = qualified - CASE WHEN OLD.reached_rank >= 2 THEN OLD.n ELSE 0 END, negotiation = negotiation - CASE WHEN OLD.reached_rank >= 3 THEN OLD.n ELSE 0 END, converted = converted - CASE WHEN OLD.status = 'converted' THEN OLD.n ELSE 0 END, lost = lost - CASE WHEN OLD.status = 'lost' THEN OLD.n ELSE 0 END WHERE lead_date = OLD.lead_date;
END
--> statement-breakpoint
CREATE TABLE `agg_leads_monthly` (
  `month` text NOT NULL, `n` integer NOT NULL, `contacted` integer NOT NULL, `qualified` integer NOT NULL, `negotiation` integer NOT NULL, `converted` integer NOT NULL, `lost` integer NOT NULL,
  PRIMARY KEY (`month`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_leads_monthly (month, n, contacted, qualified, negotiation, converted, lost)
  SELECT substr(d.lead_date, 1, 7), sum(d.n), sum(CASE WHEN d.reached_rank >= 1 THEN d.n ELSE 0 END), sum(CASE WHEN d.reached_rank >= 2 THEN d.n ELSE 0 END), sum(CASE WHEN d.reached_rank >= 3 THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'converted' THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'lost' THEN d.n ELSE 0 END) FROM agg_leads_daily d GROUP BY 1
--> statement-breakpoint
CREATE TRIGGER agg_leads_monthly_insert AFTER INSERT ON agg_leads_daily BEGIN
  INSERT INTO agg_leads_monthly (month, n, contacted, qualified, negotiation, converted, lost) VALUES (substr(NEW.lead_date, 1, 7), NEW.n, CASE WHEN NEW.reached_rank >= 1 THEN NEW.n ELSE 0 END, CASE WHEN NEW.reached_rank >= 2 THEN NEW.n ELSE 0 END, CASE WHEN NEW.reached_rank >= 3 THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'converted' THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'lost' THEN NEW.n ELSE 0 END)
  ON CONFLICT (month) DO UPDATE SET n = n + excluded.n, contacted = contacted + excluded.contacted, qualified = qualified + excluded.qualified, negotiation = negotiation + excluded.negotiation, converted = converted + excluded.converted, lost = lost + excluded.lost;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_monthly_update AFTER UPDATE ON agg_leads_daily BEGIN
  UPDATE agg_leads_monthly SET n = n - OLD.n, contacted = contacted - CASE WHEN OLD.reached_rank >= 1 THEN OLD.n ELSE 0 END, qualified = qualified - CASE WHEN OLD.reached_rank >= 2 THEN OLD.n ELSE 0 END, negotiation = negotiation - CASE WHEN OLD.reached_rank >= 3 THEN OLD.n ELSE 0 END, converted = converted - CASE WHEN OLD.status = 'converted' THEN OLD.n ELSE 0 END, lost = lost - CASE WHEN OLD.status = 'lost' THEN OLD.n ELSE 0 END WHERE month = substr(OLD.lead_date, 1, 7);
  INSERT INTO agg_leads_monthly (month, n, contacted, qualified, negotiation, converted, lost) VALUES (substr(NEW.lead_date, 1, 7), NEW.n, CASE WHEN NEW.reached_rank >= 1 THEN NEW.n ELSE 0 END, CASE WHEN NEW.reached_rank >= 2 THEN NEW.n ELSE 0 END, CASE WHEN NEW.reached_rank >= 3 THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'converted' THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'lost' THEN NEW.n ELSE 0 END)
  ON CONFLICT (month) DO UPDATE SET n = n + excluded.n, contacted = contacted + excluded.contacted, qualified = qualified + excluded.qualified, negotiation = negotiation + excluded.negotiation, converted = converted + excluded.converted, lost = lost + excluded.lost;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_monthly_delete AFTER DELETE ON agg_leads_daily BEGIN
  UPDATE agg_leads_monthly SET n = n - OLD.n, contacted = contacted - CASE WHEN OLD.reached_rank >= 1 THEN OLD.n ELSE 0 END, qualified = qualified - CASE WHEN OLD.reached_rank >= 2 THEN OLD.n ELSE 0 END, negotiation = negotiation - CASE WHEN OLD.reached_rank >= 3 THEN OLD.n ELSE 0 END, converted = converted - CASE WHEN OLD.status = 'converted' THEN OLD.n ELSE 0 END, lost = lost - CASE WHEN OLD.status = 'lost' THEN OLD.n ELSE 0 END WHERE month = substr(OLD.lead_date, 1, 7);
END
--> statement-breakpoint
CREATE TABLE `agg_leads_source_monthly` (
  `source_key` text NOT NULL, `month` text NOT NULL, `n` integer NOT NULL, `qualified` integer NOT NULL, `converted` integer NOT NULL, `lost` integer NOT NULL,
  PRIMARY KEY (`source_key`, `month`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_leads_source_monthly (source_key, month, n, qualified, converted, lost)
  SELECT d.source_key, substr(d.lead_date, 1, 7), sum(d.n), sum(CASE WHEN d.reached_rank >= 2 THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'converted' THEN d.n ELSE 0 END), sum(CASE WHEN d.status = 'lost' THEN d.n ELSE 0 END) FROM agg_leads_source_daily d GROUP BY 1, 2
--> statement-breakpoint
CREATE TRIGGER agg_leads_source_monthly_insert AFTER INSERT ON agg_leads_source_daily BEGIN
  INSERT INTO agg_leads_source_monthly (source_key, month, n, qualified, converted, lost) VALUES (NEW.source_key, substr(NEW.lead_date, 1, 7), NEW.n, CASE WHEN NEW.reached_rank >= 2 THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'converted' THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'lost' THEN NEW.n ELSE 0 END)
  ON CONFLICT (source_key, month) DO UPDATE SET n = n + excluded.n, qualified = qualified + excluded.qualified, converted = converted + excluded.converted, lost = lost + excluded.lost;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_source_monthly_update AFTER UPDATE ON agg_leads_source_daily BEGIN
  UPDATE agg_leads_source_monthly SET n = n - OLD.n, qualified = qualified - CASE WHEN OLD.reached_rank >= 2 THEN OLD.n ELSE 0 END, converted = converted - CASE WHEN OLD.status = 'converted' THEN OLD.n ELSE 0 END, lost = lost - CASE WHEN OLD.status = 'lost' THEN OLD.n ELSE 0 END WHERE source_key = OLD.source_key AND month = substr(OLD.lead_date, 1, 7);
  INSERT INTO agg_leads_source_monthly (source_key, month, n, qualified, converted, lost) VALUES (NEW.source_key, substr(NEW.lead_date, 1, 7), NEW.n, CASE WHEN NEW.reached_rank >= 2 THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'converted' THEN NEW.n ELSE 0 END, CASE WHEN NEW.status = 'lost' THEN NEW.n ELSE 0 END)
  ON CONFLICT (source_key, month) DO UPDATE SET n = n + excluded.n, qualified = qualified + excluded.qualified, converted = converted + excluded.converted, lost = lost + excluded.lost;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_source_monthly_delete AFTER DELETE ON agg_leads_source_daily BEGIN
  UPDATE agg_leads_source_monthly SET n = n - OLD.n, qualified = qualified - CASE WHEN OLD.reached_rank >= 2 THEN OLD.n ELSE 0 END, converted = converted - CASE WHEN OLD.status = 'converted' THEN OLD.n ELSE 0 END, lost = lost - CASE WHEN OLD.status = 'lost' THEN OLD.n ELSE 0 END WHERE source_key = OLD.source_key AND month = substr(OLD.lead_date, 1, 7);
END
--> statement-breakpoint
CREATE TABLE `agg_leads_source_totals` (
  `source_key` text NOT NULL, `n` integer NOT NULL, `qualified` integer NOT NULL, `converted` integer NOT NULL, `lost` integer NOT NULL,
  PRIMARY KEY (`source_key`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_leads_source_totals (source_key, n, qualified, converted, lost)
  SELECT d.source_key, sum(d.n), sum(d.qualified), sum(d.converted), sum(d.lost) FROM agg_leads_source_monthly d GROUP BY 1
--> statement-breakpoint
CREATE TRIGGER agg_leads_source_totals_insert AFTER INSERT ON agg_leads_source_monthly BEGIN
  INSERT INTO agg_leads_source_totals (source_key, n, qualified, converted, lost) VALUES (NEW.source_key, NEW.n, NEW.qualified, NEW.converted, NEW.lost)
  ON CONFLICT (source_key) DO UPDATE SET n = n + excluded.n, qualified = qualified + excluded.qualified, converted = converted + excluded.converted, lost = lost + excluded.lost;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_source_totals_update AFTER UPDATE ON agg_leads_source_monthly BEGIN
  UPDATE agg_leads_source_totals SET n = n - OLD.n, qualified = qualified - OLD.qualified, converted = converted - OLD.converted, lost = lost - OLD.lost WHERE source_key = OLD.source_key;
  INSERT INTO agg_leads_source_totals (source_key, n, qualified, converted, lost) VALUES (NEW.source_key, NEW.n, NEW.qualified, NEW.converted, NEW.lost)
  ON CONFLICT (source_key) DO UPDATE SET n = n + excluded.n, qualified = qualified + excluded.qualified, converted = converted + excluded.converted, lost = lost + excluded.lost;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_source_totals_delete AFTER DELETE ON agg_leads_source_monthly BEGIN
  UPDATE agg_leads_source_totals SET n = n - OLD.n, qualified = qualified - OLD.qualified, converted = converted - OLD.converted, lost = lost - OLD.lost WHERE source_key = OLD.source_key;
END
--> statement-breakpoint
CREATE TABLE `agg_leads_campaign_monthly` (
  `campaign_id` text NOT NULL, `month` text NOT NULL, `n` integer NOT NULL, `converted` integer NOT NULL,
  PRIMARY KEY (`campaign_id`, `month`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_leads_campaign_monthly (campaign_id, month, n, converted)
  SELECT d.campaign_id, substr(d.lead_date, 1, 7), sum(d.n), sum(d.converted) FROM agg_leads_campaign_daily d GROUP BY 1, 2
--> statement-breakpoint
CREATE TRIGGER agg_leads_campaign_monthly_insert AFTER INSERT ON agg_leads_campaign_daily BEGIN
  INSERT INTO agg_leads_campaign_monthly (campaign_id, month, n, converted) VALUES (NEW.campaign_id, substr(NEW.lead_date, 1, 7), NEW.n, NEW.converted)
  ON CONFLICT (campaign_id, month) DO UPDATE SET n = n + excluded.n, converted = converted + excluded.converted;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_campaign_monthly_update AFTER UPDATE ON agg_leads_campaign_daily BEGIN
  UPDATE agg_leads_campaign_monthly SET n = n - OLD.n, converted = converted - OLD.converted WHERE campaign_id = OLD.campaign_id AND month = substr(OLD.lead_date, 1, 7);
  INSERT INTO agg_leads_campaign_monthly (campaign_id, month, n, converted) VALUES (NEW.campaign_id, substr(NEW.lead_date, 1, 7), NEW.n, NEW.converted)
  ON CONFLICT (campaign_id, month) DO UPDATE SET n = n + excluded.n, converted = converted + excluded.converted;
END
--> statement-breakpoint
CREATE TRIGGER agg_leads_campaign_monthly_delete AFTER DELETE ON agg_leads_campaign_daily BEGIN
  UPDATE agg_leads_campaign_monthly SET n = n - OLD.n, converted = converted - OLD.converted WHERE campaign_id = OLD.campaign_id AND month = substr(OLD.lead_date, 1, 7);
END
--> statement-breakpoint
CREATE TABLE `agg_campaign_bookings_monthly` (
  `campaign_id` text NOT NULL, `month` text NOT NULL, `amount` integer NOT NULL,
  PRIMARY KEY (`campaign_id`, `month`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_campaign_bookings_monthly (campaign_id, month, amount)
  SELECT d.campaign_id, substr(d.lead_date, 1, 7), sum(d.amount) FROM agg_campaign_bookings_daily d GROUP BY 1, 2
--> statement-breakpoint
CREATE TRIGGER agg_campaign_bookings_monthly_insert AFTER INSERT ON agg_campaign_bookings_daily BEGIN
  INSERT INTO agg_campaign_bookings_monthly (campaign_id, month, amount) VALUES (NEW.campaign_id, substr(NEW.lead_date, 1, 7), NEW.amount)
  ON CONFLICT (campaign_id, month) DO UPDATE SET amount = amount + excluded.amount;
END
--> statement-breakpoint
CREATE TRIGGER agg_campaign_bookings_monthly_update AFTER UPDATE ON agg_campaign_bookings_daily BEGIN
  UPDATE agg_campaign_bookings_monthly SET amount = amount - OLD.amount WHERE campaign_id = OLD.campaign_id AND month = substr(OLD.lead_date, 1, 7);
  INSERT INTO agg_campaign_bookings_monthly (campaign_id, month, amount) VALUES (NEW.campaign_id, substr(NEW.lead_date, 1, 7), NEW.amount)
  ON CONFLICT (campaign_id, month) DO UPDATE SET amount = amount + excluded.amount;
END
--> statement-breakpoint
CREATE TRIGGER agg_campaign_bookings_monthly_delete AFTER DELETE ON agg_campaign_bookings_daily BEGIN
  UPDATE agg_campaign_bookings_monthly SET amount = amount - OLD.amount WHERE campaign_id = OLD.campaign_id AND month = substr(OLD.lead_date, 1, 7);
END
--> statement-breakpoint
CREATE TABLE `agg_bookings_monthly` (
  `status` text NOT NULL, `month` text NOT NULL, `n` integer NOT NULL, `amount` integer NOT NULL, `units` integer NOT NULL,
  PRIMARY KEY (`status`, `month`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_bookings_monthly (status, month, n, amount, units)
  SELECT d.status, substr(d.booking_date, 1, 7), sum(d.n), sum(d.amount), sum(d.units) FROM agg_bookings_daily d GROUP BY 1, 2
--> statement-breakpoint
CREATE TRIGGER agg_bookings_monthly_insert AFTER INSERT ON agg_bookings_daily BEGIN
  INSERT INTO agg_bookings_monthly (status, month, n, amount, units) VALUES (NEW.status, substr(NEW.booking_date, 1, 7), NEW.n, NEW.amount, NEW.units)
  ON CONFLICT (status, month) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, units = units + excluded.units;
END
--> statement-breakpoint
CREATE TRIGGER agg_bookings_monthly_update AFTER UPDATE ON agg_bookings_daily BEGIN
  UPDATE agg_bookings_monthly SET n = n - OLD.n, amount = amount - OLD.amount, units = units - OLD.units WHERE status = OLD.status AND month = substr(OLD.booking_date, 1, 7);
  INSERT INTO agg_bookings_monthly (status, month, n, amount, units) VALUES (NEW.status, substr(NEW.booking_date, 1, 7), NEW.n, NEW.amount, NEW.units)
  ON CONFLICT (status, month) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, units = units + excluded.units;
END
--> statement-breakpoint
CREATE TRIGGER agg_bookings_monthly_delete AFTER DELETE ON agg_bookings_daily BEGIN
  UPDATE agg_bookings_monthly SET n = n - OLD.n, amount = amount - OLD.amount, units = units - OLD.units WHERE status = OLD.status AND month = substr(OLD.booking_date, 1, 7);
END
--> statement-breakpoint
CREATE TABLE `agg_ledger_monthly` (
  `month` text NOT NULL, `invoiced` integer NOT NULL, `paid` integer NOT NULL, `debit` integer NOT NULL, `credit` integer NOT NULL, `entries` integer NOT NULL,
  PRIMARY KEY (`month`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_ledger_monthly (month, invoiced, paid, debit, credit, entries)
  SELECT substr(d.transaction_date, 1, 7), sum(d.invoiced), sum(d.paid), sum(d.debit), sum(d.credit), sum(d.entries) FROM agg_ledger_daily d GROUP BY 1
--> statement-breakpoint
CREATE TRIGGER agg_ledger_monthly_insert AFTER INSERT ON agg_ledger_daily BEGIN
  INSERT INTO agg_ledger_monthly (month, invoiced, paid, debit, credit, entries) VALUES (substr(NEW.transaction_date, 1, 7), NEW.invoiced, NEW.paid, NEW.debit, NEW.credit, NEW.entries)
  ON CONFLICT (month) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid, debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + excluded.entries;
END
--> statement-breakpoint
CREATE TRIGGER agg_ledger_monthly_update AFTER UPDATE ON agg_ledger_daily BEGIN
  UPDATE agg_ledger_monthly SET invoiced = invoiced - OLD.invoiced, paid = paid - OLD.paid, debit = debit - OLD.debit, credit = credit - OLD.credit, entries = entries - OLD.entries WHERE month = substr(OLD.transaction_date, 1, 7);
  INSERT INTO agg_ledger_monthly (month, invoiced, paid, debit, credit, entries) VALUES (substr(NEW.transaction_date, 1, 7), NEW.invoiced, NEW.paid, NEW.debit, NEW.credit, NEW.entries)
  ON CONFLICT (month) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid, debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + excluded.entries;
END
--> statement-breakpoint
CREATE TRIGGER agg_ledger_monthly_delete AFTER DELETE ON agg_ledger_daily BEGIN
  UPDATE agg_ledger_monthly SET invoiced = invoiced - OLD.invoiced, paid = paid - OLD.paid, debit = debit - OLD.debit, credit = credit - OLD.credit, entries = entries - OLD.entries WHERE month = substr(OLD.transaction_date, 1, 7);
END
--> statement-breakpoint
CREATE TABLE `agg_ledger_customer_monthly` (
  `customer_id` text NOT NULL, `month` text NOT NULL, `invoiced` integer NOT NULL, `paid` integer NOT NULL, `credit_notes` integer NOT NULL, `debit_notes` integer NOT NULL, `debit` integer NOT NULL, `credit` integer NOT NULL, `entries` integer NOT NULL, `last_date` text,
  PRIMARY KEY (`customer_id`, `month`)
) WITHOUT ROWID
--> statement-breakpoint
INSERT INTO agg_ledger_customer_monthly (customer_id, month, invoiced, paid, credit_notes, debit_notes, debit, credit, entries, last_date)
  SELECT d.customer_id, substr(d.transaction_date, 1, 7), sum(d.invoiced), sum(d.paid), sum(d.credit_notes), sum(d.debit_notes), sum(d.debit), sum(d.credit), sum(d.entries), max(CASE WHEN d.entries > 0 THEN d.transaction_date END) FROM agg_ledger_customer_daily d GROUP BY 1, 2
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_monthly_insert AFTER INSERT ON agg_ledger_customer_daily BEGIN
  INSERT INTO agg_ledger_customer_monthly (customer_id, month, invoiced, paid, credit_notes, debit_notes, debit, credit, entries) VALUES (NEW.customer_id, substr(NEW.transaction_date, 1, 7), NEW.invoiced, NEW.paid, NEW.credit_notes, NEW.debit_notes, NEW.debit, NEW.credit, NEW.entries)
  ON CONFLICT (customer_id, month) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid, credit_notes = credit_notes + excluded.credit_notes, debit_notes = debit_notes + excluded.debit_notes, debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + excluded.entries;
  UPDATE agg_ledger_customer_monthly SET last_date = (SELECT max(transaction_date) FROM agg_ledger_customer_daily
    WHERE customer_id = NEW.customer_id AND transaction_date BETWEEN substr(NEW.transaction_date, 1, 7) || '-01' AND substr(NEW.transaction_date, 1, 7) || '-31' AND entries > 0)
  WHERE customer_id = NEW.customer_id AND month = substr(NEW.transaction_date, 1, 7);
END
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_monthly_update AFTER UPDATE ON agg_ledger_customer_daily BEGIN
  UPDATE agg_ledger_customer_monthly SET invoiced = invoiced - OLD.invoiced, paid = paid - OLD.paid, credit_notes = credit_notes - OLD.credit_notes, debit_notes = debit_notes - OLD.debit_notes, debit = debit - OLD.debit, credit = credit - OLD.credit, entries = entries - OLD.entries WHERE customer_id = OLD.customer_id AND month = substr(OLD.transaction_date, 1, 7);
  INSERT INTO agg_ledger_customer_monthly (customer_id, month, invoiced, paid, credit_notes, debit_notes, debit, credit, entries) VALUES (NEW.customer_id, substr(NEW.transaction_date, 1, 7), NEW.invoiced, NEW.paid, NEW.credit_notes, NEW.debit_notes, NEW.debit, NEW.credit, NEW.entries)
  ON CONFLICT (customer_id, month) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid, credit_notes = credit_notes + excluded.credit_notes, debit_notes = debit_notes + excluded.debit_notes, debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + excluded.entries;
  UPDATE agg_ledger_customer_monthly SET last_date = (SELECT max(transaction_date) FROM agg_ledger_customer_daily
    WHERE customer_id = NEW.customer_id AND transaction_date BETWEEN substr(NEW.transaction_date, 1, 7) || '-01' AND substr(NEW.transaction_date, 1, 7) || '-31' AND entries > 0)
  WHERE customer_id = NEW.customer_id AND month = substr(NEW.transaction_date, 1, 7);
END
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_monthly_delete AFTER DELETE ON agg_ledger_customer_daily BEGIN
  UPDATE agg_ledger_customer_monthly SET invoiced = invoiced - OLD.invoiced, paid = paid - OLD.paid, credit_notes = credit_notes - OLD.credit_notes, debit_notes = debit_notes - OLD.debit_notes, debit = debit - OLD.debit, credit = credit - OLD.credit, entries = entries - OLD.entries WHERE customer_id = OLD.customer_id AND month = substr(OLD.transaction_date, 1, 7);
  UPDATE agg_ledger_customer_monthly SET last_date = (SELECT max(transaction_date) FROM agg_ledger_customer_daily
    WHERE customer_id = OLD.customer_id AND transaction_date BETWEEN substr(OLD.transaction_date, 1, 7) || '-01' AND substr(OLD.transaction_date, 1, 7) || '-31' AND entries > 0)
  WHERE customer_id = OLD.customer_id AND month = substr(OLD.transaction_date, 1, 7);
END
--> statement-breakpoint
CREATE TABLE `agg_customer_first_booking` (
  `customer_id` text PRIMARY KEY NOT NULL, `first_date` text NOT NULL
) WITHOUT ROWID
--> statement-breakpoint
CREATE INDEX `agg_customer_first_booking_date_idx` ON `agg_customer_first_booking` (`first_date`)
--> statement-breakpoint
INSERT INTO agg_customer_first_booking (customer_id, first_date)
  SELECT c.id, min(b.booking_date) FROM sales_customers c JOIN sales_bookings b ON b.customer_id = c.id
  WHERE c.deleted_at IS NULL AND b.deleted_at IS NULL AND b.status <> 'cancelled' GROUP BY c.id
--> statement-breakpoint
CREATE TRIGGER agg_customer_first_booking_insert AFTER INSERT ON sales_bookings
WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' BEGIN
  DELETE FROM agg_customer_first_booking WHERE customer_id = NEW.customer_id;
  INSERT INTO agg_customer_first_booking (customer_id, first_date)
    SELECT c.id, min(b.booking_date) FROM sales_customers c JOIN sales_bookings b ON b.customer_id = c.id
    WHERE c.id = NEW.customer_id AND c.deleted_at IS NULL AND b.deleted_at IS NULL AND b.status <> 'cancelled'
    GROUP BY c.id;
END
--> statement-breakpoint
CREATE TRIGGER agg_customer_first_booking_update AFTER UPDATE OF customer_id, booking_date, status, deleted_at ON sales_bookings BEGIN
  DELETE FROM agg_customer_first_booking WHERE customer_id = OLD.customer_id;
  INSERT INTO agg_customer_first_booking (customer_id, first_date)
    SELECT c.id, min(b.booking_date) FROM sales_customers c JOIN sales_bookings b ON b.customer_id = c.id
    WHERE c.id = OLD.customer_id AND c.deleted_at IS NULL AND b.deleted_at IS NULL AND b.status <> 'cancelled'
    GROUP BY c.id;
  DELETE FROM agg_customer_first_booking WHERE customer_id = NEW.customer_id;
  INSERT INTO agg_customer_first_booking (customer_id, first_date)
    SELECT c.id, min(b.booking_date) FROM sales_customers c JOIN sales_bookings b ON b.customer_id = c.id
    WHERE c.id = NEW.customer_id AND c.deleted_at IS NULL AND b.deleted_at IS NULL AND b.status <> 'cancelled'
    GROUP BY c.id;
END
--> statement-breakpoint
CREATE TRIGGER agg_customer_first_booking_customer AFTER UPDATE OF deleted_at ON sales_customers BEGIN
  DELETE FROM agg_customer_first_booking WHERE customer_id = NEW.id;
  INSERT INTO agg_customer_first_booking (customer_id, first_date)
    SELECT c.id, min(b.booking_date) FROM sales_customers c JOIN sales_bookings b ON b.customer_id = c.id
    WHERE c.id = NEW.id AND c.deleted_at IS NULL AND b.deleted_at IS NULL AND b.status <> 'cancelled'
    GROUP BY c.id;
END;
