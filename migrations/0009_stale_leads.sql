CREATE TABLE `sales_stage_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`stale_after_days` integer NOT NULL,
	CONSTRAINT "sales_stage_settings_stale_after_days_check" CHECK("sales_stage_settings"."stale_after_days" BETWEEN 1 AND 3650),
	CONSTRAINT "sales_stage_settings_stage_check" CHECK("sales_stage_settings"."id" IN ('new', 'contacted', 'qualified', 'negotiation'))
);
--> statement-breakpoint
-- Issue 8 stale leads: each live lead in an open stage with the date of its last
-- activity (its lead date, or its latest milestone or engagement), kept by triggers;
-- keyed so that counting the stale ones of a stage is one index range.
CREATE TABLE `agg_lead_activity` (
  `lead_id` text PRIMARY KEY NOT NULL, `status` text NOT NULL, `activity_date` text NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `agg_lead_activity_status_idx` ON `agg_lead_activity` (`status`, `activity_date`);
--> statement-breakpoint
INSERT INTO agg_lead_activity (lead_id, status, activity_date)
  SELECT a.lead_id, a.status, max(a.d) FROM (
    SELECT l.id AS lead_id, l.status, l.lead_date AS d FROM sales_leads l
    WHERE l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation')
    UNION ALL
    SELECT l.id, l.status, m.milestone_date FROM sales_leads l JOIN sales_lead_milestones m ON m.lead_id = l.id AND m.deleted_at IS NULL
    WHERE l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation')
    UNION ALL
    SELECT l.id, l.status, e.engagement_date FROM sales_leads l JOIN sales_lead_engagement e ON e.lead_id = l.id AND e.deleted_at IS NULL
    WHERE l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation')
  ) a GROUP BY a.lead_id, a.status;
--> statement-breakpoint
CREATE TRIGGER agg_lead_activity_lead_insert AFTER INSERT ON sales_leads BEGIN
  DELETE FROM agg_lead_activity WHERE lead_id = NEW.id;
  INSERT INTO agg_lead_activity (lead_id, status, activity_date)
    SELECT l.id, l.status, max(l.lead_date,
      coalesce((SELECT max(milestone_date) FROM sales_lead_milestones WHERE lead_id = l.id AND deleted_at IS NULL), ''),
      coalesce((SELECT max(engagement_date) FROM sales_lead_engagement WHERE lead_id = l.id AND deleted_at IS NULL), ''))
    FROM sales_leads l WHERE l.id = NEW.id AND l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation');
END
--> statement-breakpoint
CREATE TRIGGER agg_lead_activity_lead_update AFTER UPDATE OF status, deleted_at, lead_date ON sales_leads BEGIN
  DELETE FROM agg_lead_activity WHERE lead_id = NEW.id;
  INSERT INTO agg_lead_activity (lead_id, status, activity_date)
    SELECT l.id, l.status, max(l.lead_date,
      coalesce((SELECT max(milestone_date) FROM sales_lead_milestones WHERE lead_id = l.id AND deleted_at IS NULL), ''),
      coalesce((SELECT max(engagement_date) FROM sales_lead_engagement WHERE lead_id = l.id AND deleted_at IS NULL), ''))
    FROM sales_leads l WHERE l.id = NEW.id AND l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation');
END
--> statement-breakpoint
CREATE TRIGGER agg_lead_activity_milestone_insert AFTER INSERT ON sales_lead_milestones BEGIN
  DELETE FROM agg_lead_activity WHERE lead_id = NEW.lead_id;
  INSERT INTO agg_lead_activity (lead_id, status, activity_date)
    SELECT l.id, l.status, max(l.lead_date,
      coalesce((SELECT max(milestone_date) FROM sales_lead_milestones WHERE lead_id = l.id AND deleted_at IS NULL), ''),
      coalesce((SELECT max(engagement_date) FROM sales_lead_engagement WHERE lead_id = l.id AND deleted_at IS NULL), ''))
    FROM sales_leads l WHERE l.id = NEW.lead_id AND l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation');
END
--> statement-breakpoint
CREATE TRIGGER agg_lead_activity_milestone_update AFTER UPDATE OF milestone_date, deleted_at, lead_id ON sales_lead_milestones BEGIN
  DELETE FROM agg_lead_activity WHERE lead_id = OLD.lead_id;
  INSERT INTO agg_lead_activity (lead_id, status, activity_date)
    SELECT l.id, l.status, max(l.lead_date,
      coalesce((SELECT max(milestone_date) FROM sales_lead_milestones WHERE lead_id = l.id AND deleted_at IS NULL), ''),
      coalesce((SELECT max(engagement_date) FROM sales_lead_engagement WHERE lead_id = l.id AND deleted_at IS NULL), ''))
    FROM sales_leads l WHERE l.id = OLD.lead_id AND l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation');
  DELETE FROM agg_lead_activity WHERE lead_id = NEW.lead_id;
  INSERT INTO agg_lead_activity (lead_id, status, activity_date)
    SELECT l.id, l.status, max(l.lead_date,
      coalesce((SELECT max(milestone_date) FROM sales_lead_milestones WHERE lead_id = l.id AND deleted_at IS NULL), ''),
      coalesce((SELECT max(engagement_date) FROM sales_lead_engagement WHERE lead_id = l.id AND deleted_at IS NULL), ''))
    FROM sales_leads l WHERE l.id = NEW.lead_id AND l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation');
END
--> statement-breakpoint
CREATE TRIGGER agg_lead_activity_engagement_insert AFTER INSERT ON sales_lead_engagement BEGIN
  DELETE FROM agg_lead_activity WHERE lead_id = NEW.lead_id;
  INSERT INTO agg_lead_activity (lead_id, status, activity_date)
    SELECT l.id, l.status, max(l.lead_date,
      coalesce((SELECT max(milestone_date) FROM sales_lead_milestones WHERE lead_id = l.id AND deleted_at IS NULL), ''),
      coalesce((SELECT max(engagement_date) FROM sales_lead_engagement WHERE lead_id = l.id AND deleted_at IS NULL), ''))
    FROM sales_leads l WHERE l.id = NEW.lead_id AND l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation');
END
--> statement-breakpoint
CREATE TRIGGER agg_lead_activity_engagement_update AFTER UPDATE OF engagement_date, deleted_at, lead_id ON sales_lead_engagement BEGIN
  DELETE FROM agg_lead_activity WHERE lead_id = OLD.lead_id;
  INSERT INTO agg_lead_activity (lead_id, status, activity_date)
    SELECT l.id, l.status, max(l.lead_date,
      coalesce((SELECT max(milestone_date) FROM sales_lead_milestones WHERE lead_id = l.id AND deleted_at IS NULL), ''),
      coalesce((SELECT max(engagement_date) FROM sales_lead_engagement WHERE lead_id = l.id AND deleted_at IS NULL), ''))
    FROM sales_leads l WHERE l.id = OLD.lead_id AND l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation');
  DELETE FROM agg_lead_activity WHERE lead_id = NEW.lead_id;
  INSERT INTO agg_lead_activity (lead_id, status, activity_date)
    SELECT l.id, l.status, max(l.lead_date,
      coalesce((SELECT max(milestone_date) FROM sales_lead_milestones WHERE lead_id = l.id AND deleted_at IS NULL), ''),
      coalesce((SELECT max(engagement_date) FROM sales_lead_engagement WHERE lead_id = l.id AND deleted_at IS NULL), ''))
    FROM sales_leads l WHERE l.id = NEW.lead_id AND l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified', 'negotiation');
END
