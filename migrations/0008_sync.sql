CREATE TABLE `sync_clocks` (
	`entity` text NOT NULL,
	`row_id` text NOT NULL,
	`clocks` text NOT NULL,
	PRIMARY KEY(`entity`, `row_id`)
);
--> statement-breakpoint
CREATE TABLE `sync_deferred` (
	`entity` text NOT NULL,
	`row_id` text NOT NULL,
	`row` text NOT NULL,
	PRIMARY KEY(`entity`, `row_id`)
);
--> statement-breakpoint
CREATE TABLE `sync_outbox` (
	`mutation_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hlc` text NOT NULL,
	`schema_version` integer NOT NULL,
	`changes` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
-- This device's identity towards the central Postgres, made once per database.
INSERT INTO `sync_state` (`key`, `value`) VALUES ('client_id', lower(hex(randomblob(16))));
--> statement-breakpoint
-- A database that already holds records sends them all on its first sync.
INSERT INTO `sync_state` (`key`, `value`) SELECT 'needs_seed', '1' WHERE EXISTS (SELECT 1 FROM `users`);
