import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { SYNCED_TABLES } from '../../db/schema/sync.js';
import { prepareCached } from '../../db/statements.js';
import { applyServerRow, removeLocalRows, type ServerRow } from './apply.js';
import { nextHlc, readState, schemaVersion, writeClocks } from './capture.js';
import { refusalInWords, renameInWords } from './words.js';
import type { Renamed, SyncOptions, SyncSummary } from './summary.js';
import { base, hello, restampLocal, takeNewIdentity } from './clock.js';
import { bookingWords, holdConflictWords, land, type Pending } from './pull.js';

// Push (SPEC §8): the outbox sent in batches of at most a few MB, each one call of
// milepost.push and one transaction on the server; the outbox trimmed only after the
// server answered. A database made before sync first sends all its rows once.


export function seedOutbox(db: Database.Database, clock: () => Date): void {
  if (readState(db, 'needs_seed') !== '1') return;
  db.transaction(() => {
    const hlc = nextHlc(db, clock().getTime());
    const add = prepareCached(db, 'INSERT INTO sync_outbox (hlc, schema_version, changes, created_at) VALUES (?, ?, ?, ?)');
    for (const table of SYNCED_TABLES) {
      let batch: unknown[] = [];
      const flush = () => {
        if (batch.length) add.run(hlc, schemaVersion(db), JSON.stringify(batch), clock().toISOString());
        batch = [];
      };
      // Read page by page (a statement cannot write while another still iterates).
      const next = db.prepare(`SELECT * FROM "${table}" WHERE id > ? ORDER BY id LIMIT 500`);
      for (let after = ''; ;) {
        const rows = next.all(after) as (Record<string, unknown> & { id: string })[];
        if (!rows.length) break;
        for (const row of rows) {
          batch.push({ t: table, id: row.id, op: 'insert', v: row });
          writeClocks(db, table, row.id, { '*': hlc });
        }
        flush();
        after = rows[rows.length - 1]!.id;
      }
    }
    db.prepare("DELETE FROM sync_state WHERE key = 'needs_seed'").run();
  }).immediate();
}

export interface ServerNote {
  kind: string;
  table?: string;
  id?: string;
  column?: string;
  from?: string;
  to?: string;
  into?: string;
  data?: ServerRow | null;
  booking_id?: string;
  booked?: number;
  units?: number;
  hold_id?: string;
  unit_id?: string;
}

export interface PushResult {
  applied: number;
  skipped: number;
  last_mutation_id: number;
  fork_at: number | null;
  rejected: { id: number; reason: string; detail?: Record<string, string | null>; rows: { t: string; id: string; data: ServerRow | null }[] }[];
  conflicts: ServerNote[];
  restamped: { id: number; from: string; to: string }[];
  version: number;
}

export const checksum = (hlc: string, changes: string) => createHash('sha256').update(hlc).update('\n').update(changes).digest('hex');

export interface Batch {
  json: string;
  firstId: number;
  lastLocal: number;
}

/** At most this much JSON goes in one push (a batch still takes at least one mutation, however large). */
export const BATCH_BYTES = 4 << 20;

/** The next pushable mutations after a local id, as the JSON push takes (written around the stored changes, not re-encoded). */
export function nextBatch(db: Database.Database, after: number, size: number, base: number): Batch | null {
  const parts: string[] = [];
  let bytes = 0;
  let firstId = 0;
  let lastLocal = after;
  for (const m of prepareCached(db, 'SELECT mutation_id, hlc, changes FROM sync_outbox WHERE mutation_id > ? ORDER BY mutation_id LIMIT ?').iterate(after, size) as IterableIterator<{ mutation_id: number; hlc: string; changes: string }>) {
    if (parts.length && bytes + m.changes.length > BATCH_BYTES) break;
    if (!parts.length) firstId = m.mutation_id - base;
    parts.push(`{"id":${m.mutation_id - base},"hlc":${JSON.stringify(m.hlc)},"sum":"${checksum(m.hlc, m.changes)}","changes":${m.changes}}`);
    bytes += m.changes.length;
    lastLocal = m.mutation_id;
  }
  return parts.length ? { json: `[${parts.join(',')}]`, firstId, lastLocal } : null;
}

/** Take what the server answered a push with, in one transaction with trimming the outbox. */
export function takePushResult(db: Database.Database, res: PushResult, base: number, summary: SyncSummary): void {
  // The clocks first, while the outbox still holds what each mutation changed.
  for (const r of res.restamped) restampLocal(db, r.id + base, r.from, r.to);
  summary.restamped += res.restamped.length;
  // Undo a refused change: its rows as the server has them (or gone), children first.
  const gone: { table: string; id: string }[] = [];
  for (const r of res.rejected) {
    const own = prepareCached(db, 'SELECT changes FROM sync_outbox WHERE mutation_id = ?').get(r.id + base) as { changes: string } | undefined;
    summary.rejected.push({ mutation_id: r.id, reason: r.reason, words: refusalInWords(r.reason, r.detail, r.rows, own ? JSON.parse(own.changes) : []) });
    for (const x of r.rows) {
      if (x.data) applyServerRow(db, x.t, { ...x.data, id: x.id }, true);
      else gone.push({ table: x.t, id: x.id });
    }
  }
  removeLocalRows(db, gone);
  // Rows the server changed of its own accord, as it now has them. They land as pulled
  // rows do: one naming a row this device has not pulled yet (a booking moved onto
  // another device's unit) waits for it.
  const arrived: Pending[] = [];
  for (const n of res.conflicts) {
    if (n.kind === 'overbooking') {
      summary.conflicts.push({ booking_id: n.booking_id!, kind: n.kind, booked: n.booked!, units: n.units! });
      continue;
    }
    if (n.kind === 'hold_conflict') {
      if (n.data && n.id) arrived.push({ table: 'sales_unit_holds', row: { ...n.data, id: n.id } });
      summary.conflicts.push({ kind: n.kind, hold_id: n.hold_id!, unit_id: n.unit_id!, words: '' });
      continue;
    }
    // A code made unique, a user merged: the row as the server has it now, so that the
    // one that keeps the code can land here.
    if (n.data && n.table && n.id) arrived.push({ table: n.table, row: { ...n.data, id: n.id } });
    summary.renamed.push({ kind: n.kind as Renamed['kind'], table: n.table!, id: n.id!, column: n.column!, from: n.from!, to: n.to!, ...(n.into ? { into: n.into } : {}), words: renameInWords(n.kind, n.table!, n.from!, n.to!) });
  }
  if (arrived.length) land(db, arrived);
  for (const c of summary.conflicts) {
    if (c.kind === 'hold_conflict' && !c.words) c.words = holdConflictWords(db, c.hold_id, c.unit_id);
    if (c.kind === 'overbooking') c.words = bookingWords(db, c.booking_id);
  }
  prepareCached(db, 'DELETE FROM sync_outbox WHERE mutation_id <= ?').run(res.last_mutation_id + base);
}

export async function push(client: pg.ClientBase, db: Database.Database, summary: SyncSummary, opts: SyncOptions, clock: () => Date, progress: () => void): Promise<number> {
  const size = opts.pushBatch ?? 2000;
  let version = 0;
  for (;;) {
    const b = base(db);
    const clientId = readState(db, 'client_id');
    const seen = Number(readState(db, 'seen_version') ?? '0');
    let batch = nextBatch(db, 0, size, b);
    let forked = false;
    while (batch && !forked) {
      const sent = client.query<{ r: PushResult }>('SELECT milepost.push($1, $2::jsonb, $3) AS r', [clientId, batch.json, seen]);
      // While the server applies this batch, the next one is read and written out. Sent
      // ahead of the answer it is harmless: ids the server does not take yet are a gap
      // it stops at, and the outbox is only trimmed by what the server answered.
      const following = nextBatch(db, batch.lastLocal, size, b);
      const res = (await sent).rows[0]!.r;
      db.transaction(() => {
        if (res.fork_at !== null) {
          // This identity's ids up to fork_at − 1 were applied; from fork_at on, the server
          // holds other changes under the same ids (this database came back from a
          // backup). The rest go again under a new identity, numbered from 1.
          prepareCached(db, 'DELETE FROM sync_outbox WHERE mutation_id < ?').run(res.fork_at + b);
          takeNewIdentity(db, res.fork_at + b);
          summary.new_identity = true;
          forked = true;
          return;
        }
        takePushResult(db, res, b, summary);
      }).immediate();
      version = Math.max(version, Number(res.version ?? 0));
      summary.pushed += res.applied;
      summary.skipped += res.skipped;
      progress();
      if (forked) break;
      if (res.last_mutation_id < batch.firstId - 1) {
        throw new Error(`the server holds this device's changes only up to ${res.last_mutation_id} and it has none before ${batch.firstId}: was the central database restored from an older backup?`);
      }
      // A batch stopped short (a gap the server had to wait on): send again from what it holds.
      batch = res.last_mutation_id + b < batch.lastLocal ? nextBatch(db, 0, size, b) : following;
    }
    if (!forked) return version;
    await hello(client, db, clock);
  }
}


