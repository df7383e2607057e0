-- Pending follow-ups per follow-up date ('' when none is set), kept by triggers like
-- the aggregates of 0003. A follow-up counts while it is required, not completed,
-- its milestone not deleted, and its lead not deleted.
CREATE TABLE `agg_follow_ups_daily` (`follow_up_date` text PRIMARY KEY NOT NULL, `n` integer NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO agg_follow_ups_daily (follow_up_date, n)
  SELECT coalesce(m.follow_up_date, ''), count(*) FROM sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id
  WHERE m.follow_up_required = 1 AND m.follow_up_completed_at IS NULL AND m.deleted_at IS NULL AND l.deleted_at IS NULL
  GROUP BY 1;
--> statement-breakpoint
CREATE TRIGGER agg_follow_ups_insert AFTER INSERT ON sales_lead_milestones
WHEN NEW.follow_up_required = 1 AND NEW.follow_up_completed_at IS NULL AND NEW.deleted_at IS NULL
  AND (SELECT deleted_at FROM sales_leads WHERE id = NEW.lead_id) IS NULL BEGIN
  INSERT INTO agg_follow_ups_daily (follow_up_date, n) VALUES (coalesce(NEW.follow_up_date, ''), 1)
  ON CONFLICT (follow_up_date) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER agg_follow_ups_update_old AFTER UPDATE OF follow_up_required, follow_up_completed_at, follow_up_date, deleted_at ON sales_lead_milestones
WHEN OLD.follow_up_required = 1 AND OLD.follow_up_completed_at IS NULL AND OLD.deleted_at IS NULL
  AND (SELECT deleted_at FROM sales_leads WHERE id = OLD.lead_id) IS NULL BEGIN
  UPDATE agg_follow_ups_daily SET n = n - 1 WHERE follow_up_date = coalesce(OLD.follow_up_date, '');
END;
--> statement-breakpoint
CREATE TRIGGER agg_follow_ups_update_new AFTER UPDATE OF follow_up_required, follow_up_completed_at, follow_up_date, deleted_at ON sales_lead_milestones
WHEN NEW.follow_up_required = 1 AND NEW.follow_up_completed_at IS NULL AND NEW.deleted_at IS NULL
  AND (SELECT deleted_at FROM sales_leads WHERE id = NEW.lead_id) IS NULL BEGIN
  INSERT INTO agg_follow_ups_daily (follow_up_date, n) VALUES (coalesce(NEW.follow_up_date, ''), 1)
  ON CONFLICT (follow_up_date) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
-- A lead deleted (or restored) takes its pending follow-ups out of (or back into) the counts.
CREATE TRIGGER agg_follow_ups_lead_deleted AFTER UPDATE OF deleted_at ON sales_leads
WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL BEGIN
  UPDATE agg_follow_ups_daily SET n = n - (
    SELECT count(*) FROM sales_lead_milestones m
    WHERE m.lead_id = NEW.id AND m.follow_up_required = 1 AND m.follow_up_completed_at IS NULL AND m.deleted_at IS NULL
      AND coalesce(m.follow_up_date, '') = agg_follow_ups_daily.follow_up_date);
END;
--> statement-breakpoint
CREATE TRIGGER agg_follow_ups_lead_restored AFTER UPDATE OF deleted_at ON sales_leads
WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL BEGIN
  INSERT INTO agg_follow_ups_daily (follow_up_date, n)
    SELECT coalesce(m.follow_up_date, ''), count(*) FROM sales_lead_milestones m
    WHERE m.lead_id = NEW.id AND m.follow_up_required = 1 AND m.follow_up_completed_at IS NULL AND m.deleted_at IS NULL
    GROUP BY 1
  ON CONFLICT (follow_up_date) DO UPDATE SET n = n + excluded.n;
END;
