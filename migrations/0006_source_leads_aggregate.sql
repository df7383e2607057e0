-- Leads per source, day, status and rank reached ('' for no source), kept by triggers:
-- the source-performance report reads these instead of every lead.
CREATE TABLE `agg_leads_source_daily` (
  `source_key` text NOT NULL, `lead_date` text NOT NULL, `status` text NOT NULL, `reached_rank` integer NOT NULL, `n` integer NOT NULL,
  PRIMARY KEY (`source_key`, `lead_date`, `status`, `reached_rank`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO agg_leads_source_daily (source_key, lead_date, status, reached_rank, n)
  SELECT coalesce(source_id, ''), lead_date, status, reached_rank, count(*) FROM sales_leads WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
CREATE TRIGGER agg_leads_source_insert AFTER INSERT ON sales_leads WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO agg_leads_source_daily (source_key, lead_date, status, reached_rank, n)
  VALUES (coalesce(NEW.source_id, ''), NEW.lead_date, NEW.status, NEW.reached_rank, 1)
  ON CONFLICT (source_key, lead_date, status, reached_rank) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER agg_leads_source_update_old AFTER UPDATE OF source_id, lead_date, status, reached_rank, deleted_at ON sales_leads WHEN OLD.deleted_at IS NULL BEGIN
  UPDATE agg_leads_source_daily SET n = n - 1
  WHERE source_key = coalesce(OLD.source_id, '') AND lead_date = OLD.lead_date AND status = OLD.status AND reached_rank = OLD.reached_rank;
END;
--> statement-breakpoint
CREATE TRIGGER agg_leads_source_update_new AFTER UPDATE OF source_id, lead_date, status, reached_rank, deleted_at ON sales_leads WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO agg_leads_source_daily (source_key, lead_date, status, reached_rank, n)
  VALUES (coalesce(NEW.source_id, ''), NEW.lead_date, NEW.status, NEW.reached_rank, 1)
  ON CONFLICT (source_key, lead_date, status, reached_rank) DO UPDATE SET n = n + 1;
END;
