CREATE TABLE `local_upgrades` (
	`name` text PRIMARY KEY NOT NULL,
	`done_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sales_construction_stages` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`project_name` text NOT NULL,
	`stage` text NOT NULL,
	`completed_on` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_construction_stages_unique` ON `sales_construction_stages` (lower("project_name"),lower("stage")) WHERE "sales_construction_stages"."deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `sales_payment_plans` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`plan_code` text NOT NULL,
	`plan_name` text NOT NULL,
	`project_name` text DEFAULT '' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`instalments` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_payment_plans_code_unique` ON `sales_payment_plans` (`plan_code`);--> statement-breakpoint
CREATE TABLE `sales_payment_schedule` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`booking_id` text NOT NULL,
	`seq` integer NOT NULL,
	`label` text NOT NULL,
	`amount` integer NOT NULL,
	`due_date` text,
	`stage` text,
	`status` text DEFAULT 'scheduled' NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `sales_bookings`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sales_payment_schedule_status_check" CHECK("sales_payment_schedule"."status" IN ('scheduled', 'cancelled')),
	CONSTRAINT "sales_payment_schedule_amount_check" CHECK("sales_payment_schedule"."amount" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_payment_schedule_seq_unique` ON `sales_payment_schedule` (`booking_id`,`seq`) WHERE "sales_payment_schedule"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sales_payment_schedule_due_idx` ON `sales_payment_schedule` (`due_date`,`booking_id`,`amount`) WHERE "sales_payment_schedule"."deleted_at" IS NULL AND "sales_payment_schedule"."status" = 'scheduled';--> statement-breakpoint
CREATE INDEX `sales_payment_schedule_stage_idx` ON `sales_payment_schedule` (`stage`) WHERE "sales_payment_schedule"."stage" IS NOT NULL AND "sales_payment_schedule"."deleted_at" IS NULL;--> statement-breakpoint
ALTER TABLE `tenant_settings` ADD `demand_notice_days` integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE `sales_bookings` ADD `payment_plan_id` text;