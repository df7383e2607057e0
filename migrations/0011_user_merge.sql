ALTER TABLE `users` ADD `other_password_hashes` text;--> statement-breakpoint
ALTER TABLE `users` ADD `merged_into` text;