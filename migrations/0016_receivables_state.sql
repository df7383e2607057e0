-- Receivables kept current on the device (issue 16), so the aging, collections and
-- the dashboard's dues read thousands of rows instead of allocating every customer's
-- receipts to every instalment on each call. All of it is derived and local (never
-- synced; the central Postgres derives receivables live), and the report SQL only
-- trusts it while no customer is waiting to be recomputed and as_of is on or after
-- every date that moves an allocation (db/receivablesState.ts).
--
-- rcv_instalments: each instalment as SPEC §10 allocates receipts now (all receipts,
-- every booking as it stands), with what is paid of it.
CREATE TABLE `rcv_instalments` (
  `id` text PRIMARY KEY NOT NULL, `customer_id` text NOT NULL, `booking_id` text NOT NULL, `project_key` text NOT NULL,
  `due_date` text, `amount` integer NOT NULL, `paid` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `rcv_instalments_customer_idx` ON `rcv_instalments` (`customer_id`);
--> statement-breakpoint
-- What is still owed, by due date: the dues and overdue of the dashboard and Today.
CREATE INDEX `rcv_instalments_unpaid_idx` ON `rcv_instalments` (`due_date`, `project_key`, `customer_id`, `amount`, `paid`) WHERE `paid` < `amount` AND `due_date` IS NOT NULL;
--> statement-breakpoint
-- One project's instalments by due date: its collection efficiency for a month.
CREATE INDEX `rcv_instalments_project_due_idx` ON `rcv_instalments` (`project_key`, `due_date`, `amount`, `paid`);
--> statement-breakpoint
-- Instalments by the day they fall due (count, amount, paid now): the collections report.
CREATE TABLE `rcv_due_daily` (
  `due_date` text PRIMARY KEY NOT NULL, `n` integer NOT NULL, `amount` integer NOT NULL, `paid` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `rcv_due_daily_insert` AFTER INSERT ON `rcv_instalments` WHEN NEW.due_date IS NOT NULL BEGIN
  INSERT INTO rcv_due_daily (due_date, n, amount, paid) VALUES (NEW.due_date, 1, NEW.amount, NEW.paid)
  ON CONFLICT (due_date) DO UPDATE SET n = n + 1, amount = amount + excluded.amount, paid = paid + excluded.paid;
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_due_daily_delete` AFTER DELETE ON `rcv_instalments` WHEN OLD.due_date IS NOT NULL BEGIN
  UPDATE rcv_due_daily SET n = n - 1, amount = amount - OLD.amount, paid = paid - OLD.paid WHERE due_date = OLD.due_date;
END;
--> statement-breakpoint
-- Per customer: net receipts, and the latest date that moves their allocation (a
-- booking, a cancellation, a receipt). Before it, their receivables are derived live.
CREATE TABLE `rcv_customers` (
  `customer_id` text PRIMARY KEY NOT NULL, `horizon` text NOT NULL, `received` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `rcv_customers_horizon_idx` ON `rcv_customers` (`horizon`);
--> statement-breakpoint
-- Customers whose bookings, instalments or receipts changed since they were last
-- recomputed: marked by triggers in the writing transaction, whatever wrote (a
-- service, an import, a sync pull), and recomputed before the next receivables read.
CREATE TABLE `rcv_dirty` (`customer_id` text PRIMARY KEY NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
-- The aging as of one day (rcv_state 'aging_as_of', today when it was last read) with
-- the default buckets: a row per customer for all projects (project_key '') and one
-- per project they booked in ('p:' and the project's name in lower case). Minor units.
CREATE TABLE `rcv_aging` (
  `project_key` text NOT NULL, `customer_id` text NOT NULL,
  `contract_value` integer NOT NULL, `due_to_date` integer NOT NULL, `received` integer NOT NULL, `received_against_due` integer NOT NULL,
  `outstanding_due` integer NOT NULL, `advance` integer NOT NULL, `not_due` integer NOT NULL,
  `d0_30` integer NOT NULL, `d31_60` integer NOT NULL, `d61_90` integer NOT NULL, `d91_180` integer NOT NULL, `d181_plus` integer NOT NULL,
  `overdue_total` integer NOT NULL, `oldest_overdue_date` text, `next_due_date` text, `next_due_amount` integer NOT NULL,
  PRIMARY KEY (`project_key`, `customer_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `rcv_aging_customer_idx` ON `rcv_aging` (`customer_id`);
--> statement-breakpoint
-- 'ready': this database keeps the tables above; 'aging_as_of': the day rcv_aging is as of.
CREATE TABLE `rcv_state` (`key` text PRIMARY KEY NOT NULL, `value` text NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO rcv_state (key, value) VALUES ('ready', '1');
--> statement-breakpoint
INSERT OR IGNORE INTO rcv_dirty (customer_id)
  SELECT customer_id FROM sales_bookings UNION SELECT customer_id FROM sales_account_ledgers WHERE transaction_type IN ('payment', 'refund');
--> statement-breakpoint
CREATE TRIGGER `rcv_dirty_booking_insert` AFTER INSERT ON `sales_bookings` BEGIN
  INSERT OR IGNORE INTO rcv_dirty (customer_id) VALUES (NEW.customer_id);
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_dirty_booking_update` AFTER UPDATE OF customer_id, booking_date, booking_amount, project_name, status, cancellation_date, deleted_at ON `sales_bookings` BEGIN
  INSERT OR IGNORE INTO rcv_dirty (customer_id) VALUES (OLD.customer_id), (NEW.customer_id);
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_dirty_booking_delete` AFTER DELETE ON `sales_bookings` BEGIN
  INSERT OR IGNORE INTO rcv_dirty (customer_id) VALUES (OLD.customer_id);
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_dirty_schedule_insert` AFTER INSERT ON `sales_payment_schedule` BEGIN
  INSERT OR IGNORE INTO rcv_dirty (customer_id) SELECT customer_id FROM sales_bookings WHERE id = NEW.booking_id;
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_dirty_schedule_update` AFTER UPDATE ON `sales_payment_schedule` BEGIN
  INSERT OR IGNORE INTO rcv_dirty (customer_id) SELECT customer_id FROM sales_bookings WHERE id IN (OLD.booking_id, NEW.booking_id);
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_dirty_schedule_delete` AFTER DELETE ON `sales_payment_schedule` BEGIN
  INSERT OR IGNORE INTO rcv_dirty (customer_id) SELECT customer_id FROM sales_bookings WHERE id = OLD.booking_id;
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_dirty_ledger_insert` AFTER INSERT ON `sales_account_ledgers` WHEN NEW.transaction_type IN ('payment', 'refund') BEGIN
  INSERT OR IGNORE INTO rcv_dirty (customer_id) VALUES (NEW.customer_id);
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_dirty_ledger_update` AFTER UPDATE ON `sales_account_ledgers` WHEN NEW.transaction_type IN ('payment', 'refund') OR OLD.transaction_type IN ('payment', 'refund') BEGIN
  INSERT OR IGNORE INTO rcv_dirty (customer_id) VALUES (OLD.customer_id), (NEW.customer_id);
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_dirty_ledger_delete` AFTER DELETE ON `sales_account_ledgers` WHEN OLD.transaction_type IN ('payment', 'refund') BEGIN
  INSERT OR IGNORE INTO rcv_dirty (customer_id) VALUES (OLD.customer_id);
END;
--> statement-breakpoint
-- Net receipts (active payments − refunds) by day: the collections report's receipts in a month.
CREATE TABLE `rcv_receipts_daily` (`transaction_date` text PRIMARY KEY NOT NULL, `amount` integer NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO rcv_receipts_daily (transaction_date, amount)
  SELECT transaction_date, sum(CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE -debit_amount END) FROM sales_account_ledgers
  WHERE transaction_type IN ('payment', 'refund') AND status = 'active' AND deleted_at IS NULL GROUP BY transaction_date;
--> statement-breakpoint
CREATE TRIGGER `rcv_receipts_daily_insert` AFTER INSERT ON `sales_account_ledgers`
  WHEN NEW.transaction_type IN ('payment', 'refund') AND NEW.status = 'active' AND NEW.deleted_at IS NULL BEGIN
  INSERT INTO rcv_receipts_daily (transaction_date, amount) VALUES (NEW.transaction_date, CASE WHEN NEW.transaction_type = 'payment' THEN NEW.credit_amount ELSE -NEW.debit_amount END)
  ON CONFLICT (transaction_date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_receipts_daily_update_old` AFTER UPDATE OF transaction_date, transaction_type, status, deleted_at, debit_amount, credit_amount ON `sales_account_ledgers`
  WHEN OLD.transaction_type IN ('payment', 'refund') AND OLD.status = 'active' AND OLD.deleted_at IS NULL BEGIN
  UPDATE rcv_receipts_daily SET amount = amount - (CASE WHEN OLD.transaction_type = 'payment' THEN OLD.credit_amount ELSE -OLD.debit_amount END) WHERE transaction_date = OLD.transaction_date;
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_receipts_daily_update_new` AFTER UPDATE OF transaction_date, transaction_type, status, deleted_at, debit_amount, credit_amount ON `sales_account_ledgers`
  WHEN NEW.transaction_type IN ('payment', 'refund') AND NEW.status = 'active' AND NEW.deleted_at IS NULL BEGIN
  INSERT INTO rcv_receipts_daily (transaction_date, amount) VALUES (NEW.transaction_date, CASE WHEN NEW.transaction_type = 'payment' THEN NEW.credit_amount ELSE -NEW.debit_amount END)
  ON CONFLICT (transaction_date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER `rcv_receipts_daily_delete` AFTER DELETE ON `sales_account_ledgers`
  WHEN OLD.transaction_type IN ('payment', 'refund') AND OLD.status = 'active' AND OLD.deleted_at IS NULL BEGIN
  UPDATE rcv_receipts_daily SET amount = amount - (CASE WHEN OLD.transaction_type = 'payment' THEN OLD.credit_amount ELSE -OLD.debit_amount END) WHERE transaction_date = OLD.transaction_date;
END;
