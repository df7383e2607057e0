-- SPEC §3/§5/§10 (issue 16): `refund` entries (money paid back, a debit); the dashboard's
-- money net of credit notes and refunds (total_invoiced = invoices + debit notes − credit
-- notes, total_paid = payments − refunds); the customer summary's refunds. The ledger table
-- is rebuilt for its new type check, so its view and aggregate triggers are made again.
DROP VIEW `v_customer_ledger_summary`;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_sales_account_ledgers` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`ledger_code` text NOT NULL,
	`customer_id` text NOT NULL,
	`transaction_date` text NOT NULL,
	`transaction_type` text NOT NULL,
	`debit_amount` integer DEFAULT 0 NOT NULL,
	`credit_amount` integer DEFAULT 0 NOT NULL,
	`reference_document_type` text,
	`reference_document_id` text,
	`description` text,
	`status` text DEFAULT 'active' NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `sales_customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sales_account_ledgers_transaction_type_check" CHECK("__new_sales_account_ledgers"."transaction_type" IN ('invoice', 'payment', 'credit_note', 'debit_note', 'adjustment', 'refund')),
	CONSTRAINT "sales_account_ledgers_status_check" CHECK("__new_sales_account_ledgers"."status" IN ('active', 'reversed', 'cancelled')),
	CONSTRAINT "sales_account_ledgers_amounts_check" CHECK("__new_sales_account_ledgers"."debit_amount" >= 0 AND "__new_sales_account_ledgers"."credit_amount" >= 0 AND (("__new_sales_account_ledgers"."debit_amount" > 0) + ("__new_sales_account_ledgers"."credit_amount" > 0)) = 1)
);
--> statement-breakpoint
INSERT INTO `__new_sales_account_ledgers`("id", "created_at", "updated_at", "created_by", "deleted_at", "ledger_code", "customer_id", "transaction_date", "transaction_type", "debit_amount", "credit_amount", "reference_document_type", "reference_document_id", "description", "status") SELECT "id", "created_at", "updated_at", "created_by", "deleted_at", "ledger_code", "customer_id", "transaction_date", "transaction_type", "debit_amount", "credit_amount", "reference_document_type", "reference_document_id", "description", "status" FROM `sales_account_ledgers`;--> statement-breakpoint
DROP TABLE `sales_account_ledgers`;--> statement-breakpoint
ALTER TABLE `__new_sales_account_ledgers` RENAME TO `sales_account_ledgers`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `sales_account_ledgers_code_unique` ON `sales_account_ledgers` (`ledger_code`);--> statement-breakpoint
CREATE INDEX `sales_account_ledgers_customer_idx` ON `sales_account_ledgers` (`customer_id`,`transaction_date`,`created_at`,`id`,`status`,`deleted_at`,`debit_amount`,`credit_amount`,`transaction_type`);--> statement-breakpoint
CREATE INDEX `sales_account_ledgers_type_idx` ON `sales_account_ledgers` (`transaction_type`,`status`);--> statement-breakpoint
ALTER TABLE `sales_bookings` ADD `forfeiture_amount` integer;--> statement-breakpoint
CREATE INDEX `sales_bookings_old_cancellations_idx` ON `sales_bookings` (`id`) WHERE "sales_bookings"."status" = 'cancelled' AND "sales_bookings"."forfeiture_amount" IS NULL AND "sales_bookings"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sales_customers_created_idx` ON `sales_customers` (`created_at`) WHERE "sales_customers"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sales_lead_milestones_pending_since_idx` ON `sales_lead_milestones` (`milestone_date`,`follow_up_date`,`lead_id`) WHERE "sales_lead_milestones"."follow_up_required" = 1 AND "sales_lead_milestones"."follow_up_completed_at" IS NULL AND "sales_lead_milestones"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sales_lead_milestones_completed_idx` ON `sales_lead_milestones` (`follow_up_completed_at`,`milestone_date`,`follow_up_date`,`lead_id`) WHERE "sales_lead_milestones"."follow_up_required" = 1 AND "sales_lead_milestones"."deleted_at" IS NULL;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_daily_insert AFTER INSERT ON sales_account_ledgers WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' BEGIN
  INSERT INTO agg_ledger_daily (transaction_date, invoiced, paid, debit, credit, entries)
  VALUES (NEW.transaction_date, CASE NEW.transaction_type WHEN 'invoice' THEN NEW.debit_amount WHEN 'debit_note' THEN NEW.debit_amount WHEN 'credit_note' THEN -NEW.credit_amount ELSE 0 END, CASE NEW.transaction_type WHEN 'payment' THEN NEW.credit_amount WHEN 'refund' THEN -NEW.debit_amount ELSE 0 END, NEW.debit_amount, NEW.credit_amount, 1)
  ON CONFLICT (transaction_date) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid,
    debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + 1;
END;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_daily_update_old AFTER UPDATE OF transaction_date, transaction_type, debit_amount, credit_amount, status, deleted_at ON sales_account_ledgers
WHEN OLD.deleted_at IS NULL AND OLD.status <> 'cancelled' BEGIN
  UPDATE agg_ledger_daily SET invoiced = invoiced - (CASE OLD.transaction_type WHEN 'invoice' THEN OLD.debit_amount WHEN 'debit_note' THEN OLD.debit_amount WHEN 'credit_note' THEN -OLD.credit_amount ELSE 0 END), paid = paid - (CASE OLD.transaction_type WHEN 'payment' THEN OLD.credit_amount WHEN 'refund' THEN -OLD.debit_amount ELSE 0 END),
    debit = debit - OLD.debit_amount, credit = credit - OLD.credit_amount, entries = entries - 1
  WHERE transaction_date = OLD.transaction_date;
END;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_daily_update_new AFTER UPDATE OF transaction_date, transaction_type, debit_amount, credit_amount, status, deleted_at ON sales_account_ledgers
WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' BEGIN
  INSERT INTO agg_ledger_daily (transaction_date, invoiced, paid, debit, credit, entries)
  VALUES (NEW.transaction_date, CASE NEW.transaction_type WHEN 'invoice' THEN NEW.debit_amount WHEN 'debit_note' THEN NEW.debit_amount WHEN 'credit_note' THEN -NEW.credit_amount ELSE 0 END, CASE NEW.transaction_type WHEN 'payment' THEN NEW.credit_amount WHEN 'refund' THEN -NEW.debit_amount ELSE 0 END, NEW.debit_amount, NEW.credit_amount, 1)
  ON CONFLICT (transaction_date) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid,
    debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + 1;
END;
--> statement-breakpoint
ALTER TABLE `agg_ledger_customer_daily` ADD `refunds` integer NOT NULL DEFAULT 0;
--> statement-breakpoint
ALTER TABLE `agg_ledger_customer_monthly` ADD `refunds` integer NOT NULL DEFAULT 0;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_insert AFTER INSERT ON sales_account_ledgers
WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' BEGIN
  INSERT INTO agg_ledger_customer_daily (customer_id, transaction_date, invoiced, paid, credit_notes, debit_notes, refunds, debit, credit, entries)
  VALUES (NEW.customer_id, NEW.transaction_date, CASE WHEN NEW.transaction_type = 'invoice' THEN NEW.debit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'payment' THEN NEW.credit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'credit_note' THEN NEW.credit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'debit_note' THEN NEW.debit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'refund' THEN NEW.debit_amount ELSE 0 END, NEW.debit_amount, NEW.credit_amount, 1)
  ON CONFLICT (customer_id, transaction_date) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid, credit_notes = credit_notes + excluded.credit_notes, debit_notes = debit_notes + excluded.debit_notes, refunds = refunds + excluded.refunds, debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + excluded.entries;
END;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_update_old AFTER UPDATE OF customer_id, transaction_date, transaction_type, debit_amount, credit_amount, status, deleted_at ON sales_account_ledgers
WHEN OLD.deleted_at IS NULL AND OLD.status <> 'cancelled' BEGIN
  UPDATE agg_ledger_customer_daily SET invoiced = invoiced - CASE WHEN OLD.transaction_type = 'invoice' THEN OLD.debit_amount ELSE 0 END, paid = paid - CASE WHEN OLD.transaction_type = 'payment' THEN OLD.credit_amount ELSE 0 END, credit_notes = credit_notes - CASE WHEN OLD.transaction_type = 'credit_note' THEN OLD.credit_amount ELSE 0 END, debit_notes = debit_notes - CASE WHEN OLD.transaction_type = 'debit_note' THEN OLD.debit_amount ELSE 0 END, refunds = refunds - CASE WHEN OLD.transaction_type = 'refund' THEN OLD.debit_amount ELSE 0 END, debit = debit - OLD.debit_amount, credit = credit - OLD.credit_amount, entries = entries - 1
  WHERE customer_id = OLD.customer_id AND transaction_date = OLD.transaction_date;
END;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_update_new AFTER UPDATE OF customer_id, transaction_date, transaction_type, debit_amount, credit_amount, status, deleted_at ON sales_account_ledgers
WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' BEGIN
  INSERT INTO agg_ledger_customer_daily (customer_id, transaction_date, invoiced, paid, credit_notes, debit_notes, refunds, debit, credit, entries)
  VALUES (NEW.customer_id, NEW.transaction_date, CASE WHEN NEW.transaction_type = 'invoice' THEN NEW.debit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'payment' THEN NEW.credit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'credit_note' THEN NEW.credit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'debit_note' THEN NEW.debit_amount ELSE 0 END, CASE WHEN NEW.transaction_type = 'refund' THEN NEW.debit_amount ELSE 0 END, NEW.debit_amount, NEW.credit_amount, 1)
  ON CONFLICT (customer_id, transaction_date) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid, credit_notes = credit_notes + excluded.credit_notes, debit_notes = debit_notes + excluded.debit_notes, refunds = refunds + excluded.refunds, debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + excluded.entries;
END;
--> statement-breakpoint
DROP TRIGGER agg_ledger_customer_monthly_insert;
--> statement-breakpoint
DROP TRIGGER agg_ledger_customer_monthly_update;
--> statement-breakpoint
DROP TRIGGER agg_ledger_customer_monthly_delete;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_monthly_insert AFTER INSERT ON agg_ledger_customer_daily BEGIN
  INSERT INTO agg_ledger_customer_monthly (customer_id, month, invoiced, paid, credit_notes, debit_notes, refunds, debit, credit, entries) VALUES (NEW.customer_id, substr(NEW.transaction_date, 1, 7), NEW.invoiced, NEW.paid, NEW.credit_notes, NEW.debit_notes, NEW.refunds, NEW.debit, NEW.credit, NEW.entries)
  ON CONFLICT (customer_id, month) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid, credit_notes = credit_notes + excluded.credit_notes, debit_notes = debit_notes + excluded.debit_notes, refunds = refunds + excluded.refunds, debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + excluded.entries;
  UPDATE agg_ledger_customer_monthly SET last_date = (SELECT max(transaction_date) FROM agg_ledger_customer_daily
    WHERE customer_id = NEW.customer_id AND transaction_date BETWEEN substr(NEW.transaction_date, 1, 7) || '-01' AND substr(NEW.transaction_date, 1, 7) || '-31' AND entries > 0)
  WHERE customer_id = NEW.customer_id AND month = substr(NEW.transaction_date, 1, 7);
END;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_monthly_update AFTER UPDATE ON agg_ledger_customer_daily BEGIN
  UPDATE agg_ledger_customer_monthly SET invoiced = invoiced - OLD.invoiced, paid = paid - OLD.paid, credit_notes = credit_notes - OLD.credit_notes, debit_notes = debit_notes - OLD.debit_notes, refunds = refunds - OLD.refunds, debit = debit - OLD.debit, credit = credit - OLD.credit, entries = entries - OLD.entries WHERE customer_id = OLD.customer_id AND month = substr(OLD.transaction_date, 1, 7);
  INSERT INTO agg_ledger_customer_monthly (customer_id, month, invoiced, paid, credit_notes, debit_notes, refunds, debit, credit, entries) VALUES (NEW.customer_id, substr(NEW.transaction_date, 1, 7), NEW.invoiced, NEW.paid, NEW.credit_notes, NEW.debit_notes, NEW.refunds, NEW.debit, NEW.credit, NEW.entries)
  ON CONFLICT (customer_id, month) DO UPDATE SET invoiced = invoiced + excluded.invoiced, paid = paid + excluded.paid, credit_notes = credit_notes + excluded.credit_notes, debit_notes = debit_notes + excluded.debit_notes, refunds = refunds + excluded.refunds, debit = debit + excluded.debit, credit = credit + excluded.credit, entries = entries + excluded.entries;
  UPDATE agg_ledger_customer_monthly SET last_date = (SELECT max(transaction_date) FROM agg_ledger_customer_daily
    WHERE customer_id = NEW.customer_id AND transaction_date BETWEEN substr(NEW.transaction_date, 1, 7) || '-01' AND substr(NEW.transaction_date, 1, 7) || '-31' AND entries > 0)
  WHERE customer_id = NEW.customer_id AND month = substr(NEW.transaction_date, 1, 7);
END;
--> statement-breakpoint
CREATE TRIGGER agg_ledger_customer_monthly_delete AFTER DELETE ON agg_ledger_customer_daily BEGIN
  UPDATE agg_ledger_customer_monthly SET invoiced = invoiced - OLD.invoiced, paid = paid - OLD.paid, credit_notes = credit_notes - OLD.credit_notes, debit_notes = debit_notes - OLD.debit_notes, refunds = refunds - OLD.refunds, debit = debit - OLD.debit, credit = credit - OLD.credit, entries = entries - OLD.entries WHERE customer_id = OLD.customer_id AND month = substr(OLD.transaction_date, 1, 7);
  UPDATE agg_ledger_customer_monthly SET last_date = (SELECT max(transaction_date) FROM agg_ledger_customer_daily
    WHERE customer_id = OLD.customer_id AND transaction_date BETWEEN substr(OLD.transaction_date, 1, 7) || '-01' AND substr(OLD.transaction_date, 1, 7) || '-31' AND entries > 0)
  WHERE customer_id = OLD.customer_id AND month = substr(OLD.transaction_date, 1, 7);
END;
--> statement-breakpoint
DELETE FROM agg_ledger_daily;
--> statement-breakpoint
DELETE FROM agg_ledger_monthly;
--> statement-breakpoint
INSERT INTO agg_ledger_daily (transaction_date, invoiced, paid, debit, credit, entries)
  SELECT e.transaction_date, sum(CASE e.transaction_type WHEN 'invoice' THEN e.debit_amount WHEN 'debit_note' THEN e.debit_amount WHEN 'credit_note' THEN -e.credit_amount ELSE 0 END), sum(CASE e.transaction_type WHEN 'payment' THEN e.credit_amount WHEN 'refund' THEN -e.debit_amount ELSE 0 END), sum(e.debit_amount), sum(e.credit_amount), count(*)
  FROM sales_account_ledgers e WHERE e.deleted_at IS NULL AND e.status <> 'cancelled' GROUP BY 1;
--> statement-breakpoint
DELETE FROM agg_ledger_customer_daily;
--> statement-breakpoint
DELETE FROM agg_ledger_customer_monthly;
--> statement-breakpoint
INSERT INTO agg_ledger_customer_daily (customer_id, transaction_date, invoiced, paid, credit_notes, debit_notes, refunds, debit, credit, entries)
  SELECT e.customer_id, e.transaction_date, sum(CASE WHEN e.transaction_type = 'invoice' THEN e.debit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'payment' THEN e.credit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'credit_note' THEN e.credit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'debit_note' THEN e.debit_amount ELSE 0 END), sum(CASE WHEN e.transaction_type = 'refund' THEN e.debit_amount ELSE 0 END), sum(e.debit_amount), sum(e.credit_amount), count(*)
  FROM sales_account_ledgers e WHERE e.deleted_at IS NULL AND e.status <> 'cancelled' GROUP BY 1, 2;
--> statement-breakpoint
CREATE VIEW `v_customer_ledger_summary` AS
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
GROUP BY c.id, c.customer_code, c.name;
