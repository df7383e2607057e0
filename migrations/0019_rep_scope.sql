-- SPEC §11 rep_scope (issue 17): `all` (reps see every lead, change only their own) or
-- `own` (reps see only their leads and what hangs off them). An admin's tenant setting.
ALTER TABLE `tenant_settings` ADD `rep_scope` text DEFAULT 'all' NOT NULL;
