-- Sessions a user's account can end (issue 17, SPEC §11), kept on this device only.
-- A user's version goes up whenever their password, role or active flag changes —
-- here or by a sync from another device — and every token carries the version it was
-- signed at: one from before the change is refused on its next request. An account a
-- sync merges into another (one username made on two devices) is not changed by it: its
-- sessions go on as the account it was merged into.
CREATE TABLE `auth_user_versions` (`user_id` text PRIMARY KEY NOT NULL, `version` integer NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `auth_user_version_bump` AFTER UPDATE OF password_hash, role, active ON `users`
  WHEN NEW.merged_into IS NULL AND (OLD.password_hash IS NOT NEW.password_hash OR OLD.role IS NOT NEW.role OR OLD.active IS NOT NEW.active) BEGIN
  INSERT INTO auth_user_versions (user_id, version) VALUES (NEW.id, 1) ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
-- Tokens signed out before they expired (by their id), kept until then.
CREATE TABLE `auth_revoked_tokens` (`jti` text PRIMARY KEY NOT NULL, `expires_at` integer NOT NULL) WITHOUT ROWID;
