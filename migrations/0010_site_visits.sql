CREATE TABLE `sales_milestone_photos` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`milestone_id` text NOT NULL,
	`original_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`sha256` text NOT NULL,
	FOREIGN KEY (`milestone_id`) REFERENCES `sales_lead_milestones`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sales_milestone_photos_content_type_check" CHECK("sales_milestone_photos"."content_type" IN ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "sales_milestone_photos_size_check" CHECK("sales_milestone_photos"."size_bytes" > 0)
);
--> statement-breakpoint
CREATE INDEX `sales_milestone_photos_milestone_idx` ON `sales_milestone_photos` (`milestone_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `sales_lead_milestones` ADD `location_accuracy_m` real;--> statement-breakpoint
ALTER TABLE `sales_lead_milestones` ADD `location_fixed_at` text;--> statement-breakpoint
ALTER TABLE `sales_lead_milestones` ADD `site_project` text;--> statement-breakpoint
ALTER TABLE `sales_lead_milestones` ADD `site_distance_m` integer;--> statement-breakpoint
ALTER TABLE `sales_lead_milestones` ADD `off_site` integer;--> statement-breakpoint
CREATE INDEX `sales_lead_milestones_visits_idx` ON `sales_lead_milestones` (`milestone_type`,`milestone_date`,`visited_by`,`off_site`,`location_latitude`) WHERE "sales_lead_milestones"."deleted_at" IS NULL;--> statement-breakpoint
ALTER TABLE `sales_unit_inventory` ADD `site_latitude` real;--> statement-breakpoint
ALTER TABLE `sales_unit_inventory` ADD `site_longitude` real;--> statement-breakpoint
ALTER TABLE `sales_unit_inventory` ADD `site_radius_m` integer;