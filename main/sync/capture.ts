import type Database from 'better-sqlite3';
import { prepareCached } from '../../db/statements.js';
import type { Change, ChangeCapture, ServiceContext } from '../domain/context.js';
import { SYNCED_TABLES } from '../../db/schema/sync.js';
import { formatHlc, parseHlc, tick } from './hlc.js';

// SPEC §8 local capture: every row a service writes is recorded as a change, and the
// changes of one transaction become one outbox row — written in that same
// transaction, so a change and its outbox row commit or vanish together. Each change
// also stamps its fields' clocks (sync_clocks), which merging compares field by field.

export type { Change } from '../domain/context.js';

const synced = new Set<string>(SYNCED_TABLES);

/** A transaction's changes in order, and each row's change by table and id. */
interface Collected {
  changes: Change[];
  byRow: Map<string, Change>;
}
const collecting = new WeakMap<Database.Database, Collected>();

export function captureChange(ctx: ServiceContext, change: Change): void {
  if (!synced.has(change.t)) return;
  const open = collecting.get(ctx.db);
  if (!open) return writeOutbox(ctx, [change]);
  // One change per row and mutation: a row written twice in a transaction (a lead's
  // status, then its customer) travels as its final values, all under one clock.
  const key = `${change.t}\u0000${change.id}`;
  const same = open.byRow.get(key);
  if (same) Object.assign(same.v, change.v);
  else {
    const copy = { ...change, v: { ...change.v } };
    open.changes.push(copy);
    open.byRow.set(key, copy);
  }
}

/** Run `work` (inside a transaction) collecting its changes into one outbox row. */
export function collectChanges<T>(ctx: ServiceContext, work: () => T): T {
  if (collecting.has(ctx.db)) return work();
  const open: Collected = { changes: [], byRow: new Map() };
  collecting.set(ctx.db, open);
  try {
    const result = work();
    if (open.changes.length) writeOutbox(ctx, open.changes);
    return result;
  } finally {
    collecting.delete(ctx.db);
  }
}

/** The tenant's capture, as the tenant manager gives it to every context. */
export const syncCapture: ChangeCapture = { change: captureChange, collect: collectChanges };

const STATE_GET = 'SELECT value FROM sync_state WHERE key = ?';
const STATE_SET = 'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

export const readState = (db: Database.Database, key: string): string | undefined =>
  (prepareCached(db, STATE_GET).get(key) as { value: string } | undefined)?.value;
export const writeState = (db: Database.Database, key: string, value: string): void => {
  prepareCached(db, STATE_SET).run(key, value);
};

const schemaVersions = new WeakMap<Database.Database, number>();
export function schemaVersion(db: Database.Database): number {
  let v = schemaVersions.get(db);
  if (v === undefined) {
    v = (db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
    schemaVersions.set(db, v);
  }
  return v;
}

/**
 * This device's time corrected by what the last sync measured against the server's
 * clock (sync_state clock_offset, ms): a device whose clock is hours off still stamps
 * its changes with the time they happen.
 */
export const deviceNow = (db: Database.Database, wall: Date | number): number => (typeof wall === 'number' ? wall : wall.getTime()) + Number(readState(db, 'clock_offset') ?? '0');

/** The next tick of this device's clock, kept in sync_state. */
export function nextHlc(db: Database.Database, wallMs: number): string {
  const last = readState(db, 'hlc');
  const next = formatHlc(tick(last ? parseHlc(last) : null, deviceNow(db, wallMs), readState(db, 'client_id')!));
  writeState(db, 'hlc', next);
  return next;
}

const CLOCKS_GET = 'SELECT clocks FROM sync_clocks WHERE entity = ? AND row_id = ?';
const CLOCKS_SET = 'INSERT INTO sync_clocks (entity, row_id, clocks) VALUES (?, ?, ?) ON CONFLICT (entity, row_id) DO UPDATE SET clocks = excluded.clocks';

export function readClocks(db: Database.Database, table: string, id: string): Record<string, string> | undefined {
  const row = prepareCached(db, CLOCKS_GET).get(table, id) as { clocks: string } | undefined;
  return row ? (JSON.parse(row.clocks) as Record<string, string>) : undefined;
}

export function writeClocks(db: Database.Database, table: string, id: string, clocks: Record<string, string>): void {
  prepareCached(db, CLOCKS_SET).run(table, id, JSON.stringify(clocks));
}

const OUTBOX_ADD = 'INSERT INTO sync_outbox (hlc, schema_version, changes, created_at) VALUES (?, ?, ?, ?)';

function writeOutbox(ctx: ServiceContext, changes: Change[]): void {
  const now = ctx.clock();
  const hlc = nextHlc(ctx.db, now.getTime());
  for (const c of changes) {
    const clocks: Record<string, string> = c.op === 'insert' ? { '*': hlc } : { ...(readClocks(ctx.db, c.t, c.id) ?? {}) };
    if (c.op === 'update') for (const field of Object.keys(c.v)) clocks[field] = hlc;
    writeClocks(ctx.db, c.t, c.id, clocks);
  }
  prepareCached(ctx.db, OUTBOX_ADD).run(hlc, schemaVersion(ctx.db), JSON.stringify(changes), now.toISOString());
}
