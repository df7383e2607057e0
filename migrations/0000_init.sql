CREATE TABLE `code_sequences` (
	`name` text PRIMARY KEY NOT NULL,
	`next_value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tenant_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`currency` text DEFAULT 'INR' NOT NULL,
	`locale` text DEFAULT 'en-IN' NOT NULL,
	`device_tag` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`username` text NOT NULL,
	`display_name` text,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	CONSTRAINT "users_role_check" CHECK("users"."role" IN ('admin', 'manager', 'sales_rep'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`actor` text,
	`at` text NOT NULL,
	`changes` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`,`at`);--> statement-breakpoint
CREATE TABLE `sales_lead_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`source_name` text NOT NULL,
	`source_type` text NOT NULL,
	`subsource_name` text,
	`channel` text,
	`is_active` integer DEFAULT true NOT NULL,
	CONSTRAINT "sales_lead_sources_source_type_check" CHECK("sales_lead_sources"."source_type" IN ('website', 'email', 'phone', 'referral', 'event', 'social', 'walk_in', 'partner', 'advertisement', 'other'))
);
--> statement-breakpoint
CREATE TABLE `sales_campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`campaign_code` text NOT NULL,
	`campaign_name` text NOT NULL,
	`campaign_type` text NOT NULL,
	`start_date` text,
	`end_date` text,
	`budget` integer DEFAULT 0 NOT NULL,
	`expected_roi` real,
	`assigned_to` text,
	`status` text DEFAULT 'active' NOT NULL,
	`description` text,
	CONSTRAINT "sales_campaigns_campaign_type_check" CHECK("sales_campaigns"."campaign_type" IN ('email', 'social', 'referral', 'event', 'digital', 'traditional', 'direct', 'outbound')),
	CONSTRAINT "sales_campaigns_status_check" CHECK("sales_campaigns"."status" IN ('active', 'inactive', 'completed', 'paused')),
	CONSTRAINT "sales_campaigns_budget_check" CHECK("sales_campaigns"."budget" >= 0),
	CONSTRAINT "sales_campaigns_dates_check" CHECK("sales_campaigns"."end_date" IS NULL OR "sales_campaigns"."start_date" IS NULL OR "sales_campaigns"."end_date" >= "sales_campaigns"."start_date")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_campaigns_code_unique` ON `sales_campaigns` (`campaign_code`);--> statement-breakpoint
CREATE INDEX `sales_campaigns_status_idx` ON `sales_campaigns` (`status`);--> statement-breakpoint
CREATE TABLE `sales_customers` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`customer_code` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`phone` text,
	`address` text,
	`lead_id` text,
	FOREIGN KEY (`lead_id`) REFERENCES `sales_leads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_customers_code_unique` ON `sales_customers` (`customer_code`);--> statement-breakpoint
CREATE INDEX `sales_customers_lead_idx` ON `sales_customers` (`lead_id`);--> statement-breakpoint
CREATE TABLE `sales_lead_status_history` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`lead_id` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`changed_at` text NOT NULL,
	`changed_by` text,
	`cause` text NOT NULL,
	FOREIGN KEY (`lead_id`) REFERENCES `sales_leads`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sales_lead_status_history_from_status_check" CHECK("sales_lead_status_history"."from_status" IN ('new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost')),
	CONSTRAINT "sales_lead_status_history_to_status_check" CHECK("sales_lead_status_history"."to_status" IN ('new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost')),
	CONSTRAINT "sales_lead_status_history_cause_check" CHECK("sales_lead_status_history"."cause" = 'manual' OR "sales_lead_status_history"."cause" LIKE 'milestone:%')
);
--> statement-breakpoint
CREATE INDEX `sales_lead_status_history_lead_idx` ON `sales_lead_status_history` (`lead_id`,`changed_at`);--> statement-breakpoint
CREATE TABLE `sales_leads` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`lead_code` text,
	`name` text NOT NULL,
	`email` text,
	`phone` text,
	`company` text,
	`source_id` text,
	`campaign_id` text,
	`assigned_to` text,
	`status` text DEFAULT 'new' NOT NULL,
	`reached_rank` integer DEFAULT 0 NOT NULL,
	`lead_date` text NOT NULL,
	`customer_id` text,
	`lost_reason` text,
	`notes` text,
	FOREIGN KEY (`source_id`) REFERENCES `sales_lead_sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `sales_campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `sales_customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sales_leads_status_check" CHECK("sales_leads"."status" IN ('new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost')),
	CONSTRAINT "sales_leads_reached_rank_check" CHECK("sales_leads"."reached_rank" BETWEEN 0 AND 4)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_leads_code_unique` ON `sales_leads` (`lead_code`);--> statement-breakpoint
CREATE INDEX `sales_leads_date_idx` ON `sales_leads` (`lead_date`,`status`,`reached_rank`);--> statement-breakpoint
CREATE INDEX `sales_leads_status_idx` ON `sales_leads` (`status`);--> statement-breakpoint
CREATE INDEX `sales_leads_source_idx` ON `sales_leads` (`source_id`,`status`,`reached_rank`);--> statement-breakpoint
CREATE INDEX `sales_leads_campaign_idx` ON `sales_leads` (`campaign_id`,`status`);--> statement-breakpoint
CREATE INDEX `sales_leads_assigned_idx` ON `sales_leads` (`assigned_to`);--> statement-breakpoint
CREATE INDEX `sales_leads_customer_idx` ON `sales_leads` (`customer_id`);--> statement-breakpoint
CREATE TABLE `sales_lead_engagement` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`lead_id` text NOT NULL,
	`engagement_type` text NOT NULL,
	`engagement_channel` text NOT NULL,
	`engagement_date` text NOT NULL,
	`subject` text,
	`notes` text,
	`status` text DEFAULT 'completed' NOT NULL,
	`response_received` integer DEFAULT false NOT NULL,
	`response_date` text,
	`response_notes` text,
	`duration_seconds` integer,
	FOREIGN KEY (`lead_id`) REFERENCES `sales_leads`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sales_lead_engagement_engagement_type_check" CHECK("sales_lead_engagement"."engagement_type" IN ('email_sent', 'call_made', 'message_sent', 'meeting_scheduled', 'proposal_sent', 'quote_sent')),
	CONSTRAINT "sales_lead_engagement_engagement_channel_check" CHECK("sales_lead_engagement"."engagement_channel" IN ('email', 'phone', 'sms', 'whatsapp', 'in_person', 'video')),
	CONSTRAINT "sales_lead_engagement_status_check" CHECK("sales_lead_engagement"."status" IN ('completed', 'scheduled', 'cancelled')),
	CONSTRAINT "sales_lead_engagement_duration_check" CHECK("sales_lead_engagement"."duration_seconds" >= 0)
);
--> statement-breakpoint
CREATE INDEX `sales_lead_engagement_lead_idx` ON `sales_lead_engagement` (`lead_id`,`engagement_date`,`created_at`);--> statement-breakpoint
CREATE INDEX `sales_lead_engagement_date_idx` ON `sales_lead_engagement` (`engagement_date`);--> statement-breakpoint
CREATE TABLE `sales_lead_milestones` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`lead_id` text NOT NULL,
	`milestone_type` text NOT NULL,
	`milestone_date` text NOT NULL,
	`milestone_time` text,
	`location_latitude` real,
	`location_longitude` real,
	`location_name` text,
	`visited_by` text,
	`duration_minutes` integer,
	`outcome` text,
	`follow_up_required` integer DEFAULT false NOT NULL,
	`follow_up_date` text,
	`follow_up_completed_at` text,
	`notes` text,
	`metadata` text,
	FOREIGN KEY (`lead_id`) REFERENCES `sales_leads`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sales_lead_milestones_milestone_type_check" CHECK("sales_lead_milestones"."milestone_type" IN ('lead_generated', 'contacted', 'site_visit', 'revisit', 'demo', 'proposal', 'negotiation', 'booking', 'cancellation', 'reengaged')),
	CONSTRAINT "sales_lead_milestones_outcome_check" CHECK("sales_lead_milestones"."outcome" IN ('positive', 'neutral', 'negative')),
	CONSTRAINT "sales_lead_milestones_latitude_check" CHECK("sales_lead_milestones"."location_latitude" BETWEEN -90 AND 90),
	CONSTRAINT "sales_lead_milestones_longitude_check" CHECK("sales_lead_milestones"."location_longitude" BETWEEN -180 AND 180),
	CONSTRAINT "sales_lead_milestones_duration_check" CHECK("sales_lead_milestones"."duration_minutes" >= 0),
	CONSTRAINT "sales_lead_milestones_follow_up_check" CHECK("sales_lead_milestones"."follow_up_date" IS NULL OR "sales_lead_milestones"."follow_up_date" >= "sales_lead_milestones"."milestone_date")
);
--> statement-breakpoint
CREATE INDEX `sales_lead_milestones_lead_idx` ON `sales_lead_milestones` (`lead_id`,`milestone_date`,`milestone_time`,`created_at`);--> statement-breakpoint
CREATE INDEX `sales_lead_milestones_follow_up_idx` ON `sales_lead_milestones` (`follow_up_date`) WHERE "sales_lead_milestones"."follow_up_required" = 1 AND "sales_lead_milestones"."follow_up_completed_at" IS NULL AND "sales_lead_milestones"."deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `sales_bookings` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`booking_code` text NOT NULL,
	`customer_id` text NOT NULL,
	`lead_id` text,
	`booking_date` text NOT NULL,
	`booking_amount` integer NOT NULL,
	`project_name` text,
	`unit_type` text,
	`unit_count` integer DEFAULT 1 NOT NULL,
	`units_booked` integer DEFAULT 1 NOT NULL,
	`units_available` integer,
	`status` text DEFAULT 'confirmed' NOT NULL,
	`cancellation_date` text,
	`cancellation_reason` text,
	`refund_amount` integer,
	`delivery_date` text,
	`notes` text,
	`conflict` text,
	FOREIGN KEY (`customer_id`) REFERENCES `sales_customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_id`) REFERENCES `sales_leads`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sales_bookings_status_check" CHECK("sales_bookings"."status" IN ('confirmed', 'pending', 'cancelled', 'completed', 'on_hold')),
	CONSTRAINT "sales_bookings_amount_check" CHECK("sales_bookings"."booking_amount" > 0),
	CONSTRAINT "sales_bookings_unit_count_check" CHECK("sales_bookings"."unit_count" >= 1),
	CONSTRAINT "sales_bookings_units_booked_check" CHECK("sales_bookings"."units_booked" BETWEEN 1 AND "sales_bookings"."unit_count"),
	CONSTRAINT "sales_bookings_units_available_check" CHECK("sales_bookings"."units_available" >= 0),
	CONSTRAINT "sales_bookings_refund_check" CHECK("sales_bookings"."refund_amount" BETWEEN 0 AND "sales_bookings"."booking_amount"),
	CONSTRAINT "sales_bookings_cancellation_check" CHECK("sales_bookings"."status" <> 'cancelled' OR ("sales_bookings"."cancellation_date" IS NOT NULL AND "sales_bookings"."cancellation_reason" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_bookings_code_unique` ON `sales_bookings` (`booking_code`);--> statement-breakpoint
CREATE INDEX `sales_bookings_status_idx` ON `sales_bookings` (`status`,`booking_amount`,`units_booked`);--> statement-breakpoint
CREATE INDEX `sales_bookings_customer_idx` ON `sales_bookings` (`customer_id`);--> statement-breakpoint
CREATE INDEX `sales_bookings_lead_idx` ON `sales_bookings` (`lead_id`);--> statement-breakpoint
CREATE INDEX `sales_bookings_date_idx` ON `sales_bookings` (`booking_date`);--> statement-breakpoint
CREATE INDEX `sales_bookings_unit_idx` ON `sales_bookings` (`project_name`,`unit_type`,`status`);--> statement-breakpoint
CREATE TABLE `sales_unit_inventory` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`project_name` text DEFAULT '' NOT NULL,
	`unit_type` text NOT NULL,
	`total_units` integer NOT NULL,
	CONSTRAINT "sales_unit_inventory_total_check" CHECK("sales_unit_inventory"."total_units" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_unit_inventory_unique` ON `sales_unit_inventory` (`project_name`,`unit_type`);--> statement-breakpoint
CREATE TABLE `sales_account_ledgers` (
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
	CONSTRAINT "sales_account_ledgers_transaction_type_check" CHECK("sales_account_ledgers"."transaction_type" IN ('invoice', 'payment', 'credit_note', 'debit_note', 'adjustment')),
	CONSTRAINT "sales_account_ledgers_status_check" CHECK("sales_account_ledgers"."status" IN ('active', 'reversed', 'cancelled')),
	CONSTRAINT "sales_account_ledgers_amounts_check" CHECK("sales_account_ledgers"."debit_amount" >= 0 AND "sales_account_ledgers"."credit_amount" >= 0 AND (("sales_account_ledgers"."debit_amount" > 0) + ("sales_account_ledgers"."credit_amount" > 0)) = 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_account_ledgers_code_unique` ON `sales_account_ledgers` (`ledger_code`);--> statement-breakpoint
CREATE INDEX `sales_account_ledgers_customer_idx` ON `sales_account_ledgers` (`customer_id`,`transaction_date`,`created_at`,`id`,`status`,`deleted_at`,`debit_amount`,`credit_amount`);--> statement-breakpoint
CREATE INDEX `sales_account_ledgers_type_idx` ON `sales_account_ledgers` (`transaction_type`,`status`);