CREATE TABLE `sales_unit_holds` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`unit_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`held_by` text,
	`held_at` text NOT NULL,
	`hold_until` text NOT NULL,
	`released_at` text,
	`release_reason` text,
	FOREIGN KEY (`unit_id`) REFERENCES `sales_units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_id`) REFERENCES `sales_leads`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sales_unit_holds_release_reason_check" CHECK("sales_unit_holds"."release_reason" IN ('released', 'booked', 'expired', 'conflict')),
	CONSTRAINT "sales_unit_holds_until_check" CHECK("sales_unit_holds"."hold_until" > "sales_unit_holds"."held_at"),
	CONSTRAINT "sales_unit_holds_release_check" CHECK(("sales_unit_holds"."released_at" IS NULL) = ("sales_unit_holds"."release_reason" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `sales_unit_holds_unit_idx` ON `sales_unit_holds` (`unit_id`,`released_at`,`hold_until`);--> statement-breakpoint
CREATE INDEX `sales_unit_holds_lead_idx` ON `sales_unit_holds` (`lead_id`);--> statement-breakpoint
CREATE INDEX `sales_unit_holds_until_idx` ON `sales_unit_holds` (`hold_until`,`held_by`) WHERE "sales_unit_holds"."released_at" IS NULL AND "sales_unit_holds"."deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `sales_units` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`project_name` text NOT NULL,
	`tower` text DEFAULT '' NOT NULL,
	`floor` integer NOT NULL,
	`unit_number` text NOT NULL,
	`unit_type` text NOT NULL,
	`carpet_area_sqft` real,
	`list_price` integer,
	`blocked` integer DEFAULT false NOT NULL,
	`notes` text,
	`merged_into` text,
	CONSTRAINT "sales_units_price_check" CHECK("sales_units"."list_price" >= 0),
	CONSTRAINT "sales_units_area_check" CHECK("sales_units"."carpet_area_sqft" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_units_number_unique` ON `sales_units` (`project_name`,lower("tower"),lower("unit_number")) WHERE "sales_units"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sales_units_grid_idx` ON `sales_units` (`project_name`,`tower`,`floor`,`unit_number`) WHERE "sales_units"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sales_units_type_idx` ON `sales_units` (`project_name`,`unit_type`) WHERE "sales_units"."deleted_at" IS NULL;--> statement-breakpoint
DROP INDEX `sales_unit_inventory_unique`;--> statement-breakpoint
-- SPEC §3: project and unit type are compared without regard to case or repeated
-- spaces. Names are stored tidied; of two inventory rows that now match, the first made
-- stays and the later one is retired (soft-deleted, kept for the record); bookings take
-- the spelling of the row they match.
UPDATE `sales_unit_inventory` SET `project_name` = trim(replace(replace(replace(replace(replace(`project_name`, char(9), ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' ')), `unit_type` = trim(replace(replace(replace(replace(replace(`unit_type`, char(9), ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '));--> statement-breakpoint
UPDATE `sales_unit_inventory` SET `deleted_at` = coalesce(`deleted_at`, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
WHERE `deleted_at` IS NULL AND EXISTS (
  SELECT 1 FROM `sales_unit_inventory` o WHERE o.`deleted_at` IS NULL AND o.`id` <> `sales_unit_inventory`.`id`
    AND lower(o.`project_name`) = lower(`sales_unit_inventory`.`project_name`) AND lower(o.`unit_type`) = lower(`sales_unit_inventory`.`unit_type`)
    AND (o.`created_at` < `sales_unit_inventory`.`created_at` OR (o.`created_at` = `sales_unit_inventory`.`created_at` AND o.`id` < `sales_unit_inventory`.`id`)));--> statement-breakpoint
UPDATE `sales_bookings` SET
  `project_name` = CASE WHEN `project_name` IS NULL THEN NULL ELSE (SELECT i.`project_name` FROM `sales_unit_inventory` i WHERE i.`deleted_at` IS NULL
    AND lower(i.`project_name`) = lower(trim(replace(replace(replace(replace(replace(coalesce(`sales_bookings`.`project_name`, ''), char(9), ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '))) AND lower(i.`unit_type`) = lower(trim(replace(replace(replace(replace(replace(`sales_bookings`.`unit_type`, char(9), ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' ')))) END,
  `unit_type` = (SELECT i.`unit_type` FROM `sales_unit_inventory` i WHERE i.`deleted_at` IS NULL
    AND lower(i.`project_name`) = lower(trim(replace(replace(replace(replace(replace(coalesce(`sales_bookings`.`project_name`, ''), char(9), ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '))) AND lower(i.`unit_type`) = lower(trim(replace(replace(replace(replace(replace(`sales_bookings`.`unit_type`, char(9), ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '))))
WHERE `unit_type` IS NOT NULL AND EXISTS (SELECT 1 FROM `sales_unit_inventory` i WHERE i.`deleted_at` IS NULL
    AND lower(i.`project_name`) = lower(trim(replace(replace(replace(replace(replace(coalesce(`sales_bookings`.`project_name`, ''), char(9), ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '))) AND lower(i.`unit_type`) = lower(trim(replace(replace(replace(replace(replace(`sales_bookings`.`unit_type`, char(9), ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '))));--> statement-breakpoint
CREATE UNIQUE INDEX `sales_unit_inventory_unique` ON `sales_unit_inventory` (lower("project_name"),lower("unit_type")) WHERE "sales_unit_inventory"."deleted_at" IS NULL;--> statement-breakpoint
ALTER TABLE `tenant_settings` ADD `unit_hold_hours` integer DEFAULT 48 NOT NULL;--> statement-breakpoint
ALTER TABLE `sales_bookings` ADD `unit_id` text REFERENCES sales_units(id);--> statement-breakpoint
CREATE INDEX `sales_bookings_unit_id_idx` ON `sales_bookings` (`unit_id`,`status`) WHERE "sales_bookings"."unit_id" IS NOT NULL AND "sales_bookings"."deleted_at" IS NULL;