DROP INDEX `sales_leads_date_idx`;--> statement-breakpoint
DROP INDEX `sales_leads_source_idx`;--> statement-breakpoint
DROP INDEX `sales_leads_campaign_idx`;--> statement-breakpoint
CREATE INDEX `sales_leads_date_idx` ON `sales_leads` (`lead_date`,`status`,`reached_rank`) WHERE "sales_leads"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sales_leads_source_idx` ON `sales_leads` (`source_id`,`lead_date`,`status`,`reached_rank`) WHERE "sales_leads"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sales_leads_campaign_idx` ON `sales_leads` (`campaign_id`,`lead_date`,`status`) WHERE "sales_leads"."deleted_at" IS NULL;--> statement-breakpoint
DROP INDEX `sales_bookings_status_idx`;--> statement-breakpoint
DROP INDEX `sales_bookings_lead_idx`;--> statement-breakpoint
DROP INDEX `sales_bookings_date_idx`;--> statement-breakpoint
CREATE INDEX `sales_bookings_status_idx` ON `sales_bookings` (`status`,`booking_date`,`booking_amount`,`units_booked`) WHERE "sales_bookings"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sales_bookings_lead_idx` ON `sales_bookings` (`lead_id`,`status`,`booking_amount`) WHERE "sales_bookings"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sales_bookings_date_idx` ON `sales_bookings` (`booking_date`,`status`,`customer_id`,`booking_amount`) WHERE "sales_bookings"."deleted_at" IS NULL;--> statement-breakpoint
DROP INDEX `sales_account_ledgers_customer_idx`;--> statement-breakpoint
CREATE INDEX `sales_account_ledgers_customer_idx` ON `sales_account_ledgers` (`customer_id`,`transaction_date`,`created_at`,`id`,`status`,`deleted_at`,`debit_amount`,`credit_amount`,`transaction_type`);