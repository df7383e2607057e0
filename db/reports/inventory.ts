import { tidyName } from '../values/names.js';
import { fromMinor } from '../values/money.js';
import { all, onSqlite, type ReportPlan } from './plan.js';
import type { Db } from './params.js';

// A project's units by type and status, with their value — what the
// Inventory screen's counts, `reports/inventory` and its CSV show. A unit's status
// is derived as SPEC §10 says whenever it is read (`@now` is an instant, UTC ISO):
// a hold expires by time alone and cancelling a booking frees the unit.

/**
 * SQL: the status of unit `u`, decided in SPEC §10's order. Flags are integers on both engines.
 * `stock`: the schema whose bookings and holds decide it — on a device `main.`, so that a
 * rep who sees only their own bookings (rep_scope = own, db/scope.ts) still sees a unit
 * another rep sold as sold: what is for sale is the tenant's stock, not a lead's record.
 */
export const unitStatusSql = (stock: '' | 'main.' = '') => `CASE
  WHEN u.blocked = 1 THEN 'blocked'
  WHEN EXISTS (SELECT 1 FROM ${stock}sales_bookings b WHERE b.unit_id = u.id AND b.deleted_at IS NULL AND b.status = 'completed') THEN 'sold'
  WHEN EXISTS (SELECT 1 FROM ${stock}sales_bookings b WHERE b.unit_id = u.id AND b.deleted_at IS NULL AND b.status IN ('confirmed', 'pending', 'on_hold')) THEN 'booked'
  WHEN EXISTS (SELECT 1 FROM ${stock}sales_unit_holds h WHERE h.unit_id = u.id AND h.released_at IS NULL AND h.deleted_at IS NULL AND h.hold_until > @now) THEN 'held'
  ELSE 'available' END`;
/** A unit's status on a device (see above). */
export const UNIT_STATUS_SQL = unitStatusSql('main.');

const count = (status: string) => `coalesce(sum(CASE WHEN status = '${status}' THEN 1 ELSE 0 END), 0) AS ${status}`;

// A type sold by count (no units) is counted from its bookings: booked and sold
// units, the rest available; it has no list prices.
const byCount = (status: string, stock: string) => `coalesce((SELECT sum(b.units_booked) FROM ${stock}sales_bookings b
    WHERE (b.project_name = i.project_name OR (i.project_name = '' AND b.project_name IS NULL)) AND b.unit_type = i.unit_type
      AND b.unit_id IS NULL AND b.deleted_at IS NULL AND b.status IN (${status})), 0)`;
const BOOKED = "'confirmed', 'pending', 'on_hold'";

// The counts are of the stock; what units sold for (sales_value), of the bookings the reader sees.
const sql = (stock: '' | 'main.') => `
  SELECT project_name, unit_type, total_units, available, held, booked, sold, blocked, list_value, unsold_value, sales_value FROM (
  SELECT project_name, unit_type, count(*) AS total_units,
         ${count('available')}, ${count('held')}, ${count('booked')}, ${count('sold')}, ${count('blocked')},
         coalesce(sum(list_price), 0) AS list_value,
         coalesce(sum(CASE WHEN status IN ('available', 'held') THEN list_price ELSE 0 END), 0) AS unsold_value,
         coalesce(sum(CASE WHEN status IN ('booked', 'sold') THEN sale ELSE 0 END), 0) AS sales_value
  FROM (
    SELECT u.project_name, u.unit_type, u.list_price, ${unitStatusSql(stock)} AS status,
           -- The first live booking of the unit (a second one is an overbooking flagged at sync, not a second sale).
           (SELECT b.booking_amount FROM sales_bookings b WHERE b.unit_id = u.id AND b.deleted_at IS NULL AND b.status <> 'cancelled'
            ORDER BY b.booking_date, b.created_at, b.id LIMIT 1) AS sale
    FROM sales_units u
    WHERE u.deleted_at IS NULL AND (@project IS NULL OR lower(u.project_name) = lower(@project))
  ) AS units
  GROUP BY project_name, unit_type
  UNION ALL
  SELECT project_name, unit_type, total_units,
         CASE WHEN total_units - booked - sold > 0 THEN total_units - booked - sold ELSE 0 END AS available,
         0 AS held, booked, sold, 0 AS blocked, 0 AS list_value, 0 AS unsold_value, sales_value
  FROM (
    SELECT i.project_name, i.unit_type, i.total_units, ${byCount(BOOKED, stock)} AS booked, ${byCount("'completed'", stock)} AS sold,
           coalesce((SELECT sum(b.booking_amount) FROM sales_bookings b
             WHERE (b.project_name = i.project_name OR (i.project_name = '' AND b.project_name IS NULL)) AND b.unit_type = i.unit_type
               AND b.unit_id IS NULL AND b.deleted_at IS NULL AND b.status <> 'cancelled'), 0) AS sales_value
    FROM sales_unit_inventory i
    WHERE i.deleted_at IS NULL AND (@project IS NULL OR lower(i.project_name) = lower(@project))
      AND NOT EXISTS (SELECT 1 FROM sales_units u WHERE u.project_name = i.project_name AND u.unit_type = i.unit_type AND u.deleted_at IS NULL)
  ) AS counted
  ) AS inventory
  ORDER BY project_name, unit_type`;

export interface InventoryRow {
  project_name: string;
  unit_type: string;
  total_units: number;
  available: number;
  held: number;
  booked: number;
  sold: number;
  blocked: number;
  /** Σ list price of every unit. */
  list_value: number;
  /** Σ list price of the units still to sell (available or held). */
  unsold_value: number;
  /** What the booked and sold units sold for: each unit's first live booking (a type sold by count: its live bookings). */
  sales_value: number;
}

export const inventoryColumns = [
  'project_name', 'unit_type', 'total_units', 'available', 'held', 'booked', 'sold', 'blocked', 'list_value', 'unsold_value', 'sales_value',
] as const;

/** Units by project and type with their statuses now; one project's (matched without regard to case or spacing) when asked. */
export function* inventoryPlan(p: { project_name?: string | null; now: string; stock?: '' | 'main.' }): ReportPlan<InventoryRow[]> {
  const project = p.project_name ? tidyName(p.project_name) : null;
  const rows = yield* all<InventoryRow>(sql(p.stock ?? ''), { project, now: p.now });
  return rows.map((r) => ({ ...r, list_value: fromMinor(r.list_value), unsold_value: fromMinor(r.unsold_value), sales_value: fromMinor(r.sales_value) }));
}

export const inventoryReport = (db: Db, p: { project_name?: string | null; now: string }) => onSqlite(db, inventoryPlan({ ...p, stock: 'main.' }));
