import type { ServiceContext } from '../main/domain/context.js';
import { unitInventoryService } from '../main/services/catalog.js';
import { bookUnit } from '../main/services/bookings.js';
import { holdUnit } from '../main/services/holds.js';
import { createUnits } from '../main/services/units.js';

// A project of 2,000 units (4 towers × 25 floors × 20), a third of them
// booked and some held, made once through the services.
export const GRID_PROJECT = 'Bench Heights';

export function makeGridProject(ctx: ServiceContext, log: (line: string) => void): void {
  if (ctx.db.prepare('SELECT 1 FROM sales_units WHERE project_name = ?').get(GRID_PROJECT)) return;
  const t0 = performance.now();
  unitInventoryService.create(ctx, { project_name: GRID_PROJECT, unit_type: '2BHK', total_units: 0 });
  unitInventoryService.create(ctx, { project_name: GRID_PROJECT, unit_type: '3BHK', total_units: 0 });
  const made: string[] = [];
  for (const tower of ['A', 'B', 'C', 'D']) {
    made.push(...createUnits(ctx, { project_name: GRID_PROJECT, tower, unit_type: tower < 'C' ? '2BHK' : '3BHK', floor_from: 1, floor_to: 25, units_per_floor: 20, list_price: 6_500_000 }).units.map((u) => u.id));
  }
  const leads = ctx.db.prepare("SELECT id FROM sales_leads WHERE status NOT IN ('converted', 'lost') ORDER BY id LIMIT 760").pluck().all() as string[];
  // The first hundred hold a unit; the rest book one.
  leads.forEach((lead, i) => {
    if (i < 100) holdUnit(ctx, made[i * 3 + 1]!, { lead_id: lead });
    else bookUnit(ctx, lead, { unit_id: made[(i - 100) * 3]! });
  });
  log(`  ${GRID_PROJECT}: ${made.length} units, ${Math.min(100, leads.length)} held, ${Math.max(0, leads.length - 100)} booked, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
