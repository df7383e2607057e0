-- Booked amounts per campaign and lead date, kept by triggers: a booking counts while
-- it is live and not cancelled, and its lead is live and in a campaign (SPEC §5
-- v_campaign_performance booked_amount).
CREATE TABLE `agg_campaign_bookings_daily` (
  `campaign_id` text NOT NULL, `lead_date` text NOT NULL, `amount` integer NOT NULL,
  PRIMARY KEY (`campaign_id`, `lead_date`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO agg_campaign_bookings_daily (campaign_id, lead_date, amount)
  SELECT l.campaign_id, l.lead_date, sum(b.booking_amount) FROM sales_bookings b JOIN sales_leads l ON l.id = b.lead_id
  WHERE b.deleted_at IS NULL AND b.status <> 'cancelled' AND l.deleted_at IS NULL AND l.campaign_id IS NOT NULL
  GROUP BY 1, 2;
--> statement-breakpoint
CREATE TRIGGER agg_campaign_bookings_insert AFTER INSERT ON sales_bookings
WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' AND NEW.lead_id IS NOT NULL BEGIN
  INSERT INTO agg_campaign_bookings_daily (campaign_id, lead_date, amount)
    SELECT l.campaign_id, l.lead_date, NEW.booking_amount FROM sales_leads l
    WHERE l.id = NEW.lead_id AND l.deleted_at IS NULL AND l.campaign_id IS NOT NULL
  ON CONFLICT (campaign_id, lead_date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER agg_campaign_bookings_update_old AFTER UPDATE OF status, booking_amount, deleted_at, lead_id ON sales_bookings
WHEN OLD.deleted_at IS NULL AND OLD.status <> 'cancelled' AND OLD.lead_id IS NOT NULL BEGIN
  UPDATE agg_campaign_bookings_daily SET amount = amount - OLD.booking_amount
  WHERE (campaign_id, lead_date) = (SELECT campaign_id, lead_date FROM sales_leads WHERE id = OLD.lead_id AND deleted_at IS NULL);
END;
--> statement-breakpoint
CREATE TRIGGER agg_campaign_bookings_update_new AFTER UPDATE OF status, booking_amount, deleted_at, lead_id ON sales_bookings
WHEN NEW.deleted_at IS NULL AND NEW.status <> 'cancelled' AND NEW.lead_id IS NOT NULL BEGIN
  INSERT INTO agg_campaign_bookings_daily (campaign_id, lead_date, amount)
    SELECT l.campaign_id, l.lead_date, NEW.booking_amount FROM sales_leads l
    WHERE l.id = NEW.lead_id AND l.deleted_at IS NULL AND l.campaign_id IS NOT NULL
  ON CONFLICT (campaign_id, lead_date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
-- A lead moving campaign or date, deleted or restored, moves its bookings' amounts.
CREATE TRIGGER agg_campaign_bookings_lead_old AFTER UPDATE OF campaign_id, lead_date, deleted_at ON sales_leads
WHEN OLD.deleted_at IS NULL AND OLD.campaign_id IS NOT NULL BEGIN
  UPDATE agg_campaign_bookings_daily SET amount = amount - (
    SELECT coalesce(sum(booking_amount), 0) FROM sales_bookings WHERE lead_id = OLD.id AND deleted_at IS NULL AND status <> 'cancelled')
  WHERE campaign_id = OLD.campaign_id AND lead_date = OLD.lead_date;
END;
--> statement-breakpoint
CREATE TRIGGER agg_campaign_bookings_lead_new AFTER UPDATE OF campaign_id, lead_date, deleted_at ON sales_leads
WHEN NEW.deleted_at IS NULL AND NEW.campaign_id IS NOT NULL BEGIN
  INSERT INTO agg_campaign_bookings_daily (campaign_id, lead_date, amount)
    SELECT NEW.campaign_id, NEW.lead_date, coalesce(sum(booking_amount), 0) FROM sales_bookings
    WHERE lead_id = NEW.id AND deleted_at IS NULL AND status <> 'cancelled'
  ON CONFLICT (campaign_id, lead_date) DO UPDATE SET amount = amount + excluded.amount;
END;
