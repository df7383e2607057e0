import type { ServiceContext } from '../main/domain/context.js';
import { SYNCED_TABLES } from '../db/schema/sync.js';
import { addTenant, initServer } from '../main/sync/server.js';
import { startPostgres, type RunningPostgres } from './postgres.js';

/** A central Postgres with the Milepost schema, and a device login per tenant asked for. */
export async function startCentral(): Promise<{ pg: RunningPostgres; adminUrl: string; deviceUrl: (tenant: string) => Promise<string> }> {
  const pg = await startPostgres();
  const adminUrl = pg.url();
  await initServer(adminUrl);
  const urls = new Map<string, string>();
  return {
    pg,
    adminUrl,
    deviceUrl: async (tenant) => {
      let url = urls.get(tenant);
      if (!url) {
        url = (await addTenant(adminUrl, { tenant, password: `pw-${tenant}-secret` })).url;
        urls.set(tenant, url);
      }
      return url;
    },
  };
}

/** Every synced table's rows, in a stable order: two devices that converged give equal values. */
export function syncedRows(ctx: Pick<ServiceContext, 'db'>): Record<string, string[]> {
  return Object.fromEntries(SYNCED_TABLES.map((t) => [t, ctx.db.prepare(`SELECT * FROM "${t}" ORDER BY id`).all().map((r) => JSON.stringify(r))]));
}

/** An aggregate row still counting something: one whose count went back to 0 stays behind, and a recount has no such row. */
export const isLiveAggregate = (r: Record<string, unknown>) => (r.n ?? r.entries ?? r.amount) !== 0;

/** Every aggregate table's live rows (counts back at zero left out). */
export function aggregateRows(ctx: Pick<ServiceContext, 'db'>): Record<string, unknown[]> {
  const tables = (ctx.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'agg_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  return Object.fromEntries(tables.map((t) => [t, (ctx.db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[])
    .filter(isLiveAggregate).map((r) => JSON.stringify(r)).sort()]));
}
