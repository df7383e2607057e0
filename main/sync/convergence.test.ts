import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberTypes } from '../../db/pg/reports.js';
import { rebuildAggregates } from '../../db/aggregates.js';
import { SYNCED_TABLES } from '../../db/schema/sync.js';
import { aggregateRows, startCentral, syncedRows } from '../../test/syncFixture.js';
import { tempDir } from '../../test/tenantFixture.js';
import type { ServiceContext } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { bookUnit } from '../services/bookings.js';
import { cancelBooking } from '../services/cancellations.js';
import { campaignService, leadSourceService, unitInventoryService } from '../services/catalog.js';
import { leadService } from '../services/leads.js';
import { createLedgerEntry } from '../services/ledger.js';
import { createEngagement } from '../services/engagements.js';
import { createMilestone } from '../services/milestones.js';
import { customerLedgerSummary } from '../../db/reports/customerLedgerSummary.js';
import { syncTenant } from './tenantSync.js';
import { createTenant } from '../services/tenantSetup.js';
import { TenantManager } from '../tenants.js';
import { defaultConnect } from './engine.js';

// SPEC §8 acceptance 1: three devices of one tenant work offline — creates, updates,
// status changes, bookings of the last unit, cancellations, ledger entries, deletes —
// and sync in random order at random points, with the connection cut before a push
// commits, after it commits but before the answer arrives, or in the middle of a pull.
// Then all sync until quiet, and every device and Postgres hold exactly the same rows.

const RUNS = Number(process.env.MILEPOST_CONVERGENCE_RUNS ?? 200);

let central: Awaited<ReturnType<typeof startCentral>>;
let admin: pg.Client;
beforeAll(async () => {
  central = await startCentral();
  admin = new pg.Client({ connectionString: central.adminUrl, types: numberTypes });
  await admin.connect();
}, 120_000);
afterAll(async () => {
  await admin?.end();
  await central?.pg.stop();
});

type Fault = 'none' | 'before_push' | 'after_push' | 'mid_pull';
const KINDS = ['lead', 'update', 'milestone', 'book', 'cancel', 'ledger', 'engage', 'delete', 'sync', 'sync'] as const;
interface Op {
  device: number;
  kind: (typeof KINDS)[number];
  a: number;
  b: number;
  fault: Fault;
}

/** A connection that is cut at the chosen point, as a network would cut it. */
const cutAt = (fault: Fault) => async (url: string) => {
  const client = await defaultConnect(url);
  const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
  let pulls = 0;
  const cut = async (what: string) => {
    await client.end().catch(() => {});
    throw new Error(`connection cut ${what}`);
  };
  (client as unknown as { query: unknown }).query = async (text: string, values?: unknown[]) => {
    if (fault === 'before_push' && text.includes('milepost.push')) return cut('before the push committed');
    if (fault === 'after_push' && text.includes('milepost.push')) {
      await query(text, values);
      return cut('after the push committed, before its answer');
    }
    if (fault === 'mid_pull' && text.includes('milepost.pull') && ++pulls === 2) return cut('in the middle of the pull');
    return query(text, values);
  };
  return client;
};

const ids = (ctx: ServiceContext, sql: string) => (ctx.db.prepare(sql).all() as { id: string }[]).map((r) => r.id);
const pick = <T>(items: T[], n: number) => (items.length ? items[n % items.length] : undefined);

/** One user action on one device; refusals (a lost lead, no unit left here) are part of the game. */
function act(ctx: ServiceContext, op: Op): void {
  const leads = ids(ctx, 'SELECT id FROM sales_leads WHERE deleted_at IS NULL ORDER BY id');
  const lead = pick(leads, op.a);
  try {
    switch (op.kind) {
      case 'lead':
        leadService.create(ctx, { name: `Lead ${op.a}`, lead_date: '2025-11-01', source_id: op.b % 2 ? 'S1' : null, campaign_id: op.b % 3 ? 'C1' : null });
        break;
      case 'update':
        if (lead) leadService.update(ctx, lead, { notes: `note ${op.b}`, ...(op.b % 4 === 0 ? { campaign_id: null } : {}) });
        break;
      case 'milestone':
        if (lead) {
          const types = ['contacted', 'site_visit', 'demo', 'proposal', 'negotiation', 'cancellation', 'reengaged'];
          createMilestone(ctx, { lead_id: lead, milestone_type: types[op.b % types.length], milestone_date: '2025-11-10', follow_up_date: op.b % 2 ? '2025-11-20' : null });
        }
        break;
      case 'book':
        if (lead) bookUnit(ctx, lead, { booking_date: '2025-11-12', booking_amount: 1000 + op.b, project_name: 'Tower', unit_type: '2BHK' });
        break;
      case 'cancel': {
        const booking = pick(ids(ctx, "SELECT id FROM sales_bookings WHERE status <> 'cancelled' ORDER BY id"), op.a);
        if (booking) cancelBooking(ctx, booking, { cancellation_date: '2025-11-13', cancellation_reason: 'changed plans', refund_amount: op.b % 100 });
        break;
      }
      case 'ledger': {
        const customer = pick(ids(ctx, 'SELECT id FROM sales_customers WHERE deleted_at IS NULL ORDER BY id'), op.a);
        if (customer) createLedgerEntry(ctx, { customer_id: customer, transaction_date: '2025-11-14', transaction_type: op.b % 2 ? 'payment' : 'debit_note', ...(op.b % 2 ? { credit_amount: 10 + op.b } : { debit_amount: 5 + op.b }) });
        break;
      }
      case 'engage':
        if (lead) createEngagement(ctx, { lead_id: lead, engagement_type: 'call_made', engagement_channel: 'phone', engagement_date: '2025-11-15', duration_seconds: op.b });
        break;
      case 'delete':
        if (lead && op.b % 3 === 0) leadService.remove(ctx, lead);
        break;
      default:
        break;
    }
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
  }
}

const EVENTS = ['sales_lead_milestones', 'sales_lead_engagement', 'sales_account_ledgers', 'sales_lead_status_history', 'audit_log'] as const;

describe('convergence of three offline devices (SPEC §8)', () => {
  let run = 0;
  it(`holds over ${RUNS} random runs with cut connections`, async () => {
    const op = fc.record<Op>({
      device: fc.nat(2),
      kind: fc.constantFrom(...KINDS),
      a: fc.nat(1000),
      b: fc.nat(1000),
      fault: fc.constantFrom<Fault>('none', 'none', 'before_push', 'after_push', 'mid_pull'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 30 }), async (ops) => {
        run += 1;
        const tenant = `conv-${run}`;
        const url = await central.deviceUrl(tenant);
        // Device 1 sets the tenant up (one unit of 2BHK in Tower) and syncs; devices 2
        // and 3 are made from the server, then everyone goes offline.
        const managers = [new TenantManager(tempDir()), new TenantManager(tempDir()), new TenantManager(tempDir())];
        createTenant(managers[0]!, { tenant_id: tenant, name: 'Converge', admin_username: 'admin', admin_password: 'S3cret-pass' });
        const first = managers[0]!.context(tenant, null);
        leadSourceService.create(first, { id: 'S1', source_name: 'Website', source_type: 'website' });
        campaignService.create(first, { id: 'C1', campaign_code: 'CMP-1', campaign_name: 'Launch', campaign_type: 'digital', budget: 1000 });
        unitInventoryService.create(first, { project_name: 'Tower', unit_type: '2BHK', total_units: 1 });
        leadService.create(first, { id: 'L-base', name: 'Base lead', lead_date: '2025-11-01' });
        await syncTenant(managers[0]!, tenant, { url });
        await syncTenant(managers[1]!, tenant, { url });
        await syncTenant(managers[2]!, tenant, { url });
        const ctxs = managers.map((m) => m.context(tenant, null));
        const seen = Object.fromEntries(EVENTS.map((t) => [t, new Set<string>()])) as Record<(typeof EVENTS)[number], Set<string>>;
        const remember = (ctx: ServiceContext) => {
          for (const t of EVENTS) for (const id of ids(ctx, `SELECT id FROM ${t}`)) seen[t].add(id);
        };
        try {
          for (const o of ops) {
            if (o.kind === 'sync') {
              await syncTenant(managers[o.device]!, tenant, { url, connect: cutAt(o.fault), pullPage: 7 }).catch((e: Error) => {
                if (!e.message.startsWith('connection cut')) throw e;
              });
            } else {
              act(ctxs[o.device]!, o);
            }
            remember(ctxs[o.device]!);
          }
          // Everyone syncs until a whole round moves nothing.
          for (let round = 0; round < 6; round += 1) {
            let moved = 0;
            for (const m of managers) {
              const s = await syncTenant(m, tenant, { url, pullPage: 50 });
              moved += s.pushed + s.pulled;
            }
            if (moved === 0) break;
          }

          const rows = ctxs.map((c) => syncedRows(c));
          expect(rows[1]).toEqual(rows[0]);
          expect(rows[2]).toEqual(rows[0]);
          await admin.query("SELECT set_config('milepost.tenant', $1, false)", [tenant]);
          const onServer: Record<string, string[]> = {};
          for (const t of SYNCED_TABLES) onServer[t] = (await admin.query(`SELECT * FROM milepost."${t}" ORDER BY id`)).rows.map((r) => JSON.stringify(r));
          expect(onServer).toEqual(rows[0]);
          // Exactly once: every event any device ever held is on every device, once.
          for (const t of EVENTS) expect(new Set(ids(ctxs[0]!, `SELECT id FROM ${t}`))).toEqual(seen[t]);
          // The same aggregates everywhere, and the ones kept by triggers equal a recount.
          const aggregates = ctxs.map((c) => aggregateRows(c));
          expect(aggregates[1]).toEqual(aggregates[0]);
          expect(aggregates[2]).toEqual(aggregates[0]);
          rebuildAggregates(ctxs[0]!.db);
          expect(aggregateRows(ctxs[0]!)).toEqual(aggregates[0]);
          for (const ctx of ctxs) {
            // Balances stay derived: each customer's outstanding is the sum of its entries.
            for (const s of customerLedgerSummary(ctx.db, {})) {
              const sum = ctx.db.prepare("SELECT coalesce(sum(debit_amount - credit_amount), 0) AS n FROM sales_account_ledgers WHERE customer_id = ? AND status <> 'cancelled' AND deleted_at IS NULL").get(s.customer_id) as { n: number };
              expect(Math.round(s.outstanding_balance * 100)).toBe(sum.n);
            }
            // The one 2BHK unit: every live booking beyond it is flagged as an overbooking.
            const unflagged = ctx.db.prepare("SELECT count(*) AS n FROM sales_bookings WHERE unit_type = '2BHK' AND status <> 'cancelled' AND deleted_at IS NULL AND conflict IS NULL").get() as { n: number };
            expect(unflagged.n).toBeLessThanOrEqual(1);
          }
        } finally {
          for (const m of managers) m.closeAll();
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 60 * 60_000);
});
