import type Database from 'better-sqlite3';
import pg from 'pg';
import { SYNCED_RANK, SYNCED_TABLES } from '../../db/schema/sync.js';
import { rebuildAggregates } from '../../db/aggregates.js';
import { prepareCached } from '../../db/statements.js';
import { formatHlc, parseHlc, receive } from './hlc.js';
import { applyServerRow, existingIds, localRows, removeLocalRows, shapeOf, uniqueColumnsOf, uniqueKeysOf, collisionValue, type ServerRow } from './apply.js';
import { deviceNow, readState, writeState } from './capture.js';
import type { SyncOptions, SyncSummary } from './summary.js';
import { lastIssued } from './clock.js';

// Pull (SPEC §8): what changed since the device's cursor, page by page, each page and
// its cursor in one SQLite transaction; a new device lands the whole tenant with its
// indexes set aside and rebuilds them and the aggregates once at the end.


export type PulledRow = { version: number; tbl: string; row_id: string; data: ServerRow };

export interface Cursor {
  version: number;
  tbl: string;
  row: string;
}

export const START: Cursor = { version: 0, tbl: '', row: '' };

export async function pull(client: pg.ClientBase, db: Database.Database, summary: SyncSummary, opts: SyncOptions, clock: () => Date, pushedVersion: number, progress: () => void): Promise<void> {
  const page = Math.min(Math.max(Math.trunc(opts.pullPage ?? 2000), 1), 10_000);
  const fetchPage = (c: Cursor) => client.query<PulledRow>(
    'SELECT version, tbl, row_id, data FROM milepost.pull($1, $2, $3, $4, $5)', [c.version, c.tbl, c.row, page, readState(db, 'client_id')],
  ).then((r) => r.rows);
  // A device that has nothing of its own yet (a new laptop made from the server) takes
  // the pages with the aggregate triggers set aside and recounts the aggregates once at
  // the end; the mark is written with the first page, so a bootstrap cut short is
  // recounted by the sync that finishes it.
  if (readState(db, 'bulk_pull') === undefined && readState(db, 'cursor') === undefined && lastIssued(db) === 0) writeState(db, 'bulk_pull', '1');
  const bulk = readState(db, 'bulk_pull') === '1';
  // A new laptop lands millions of rows: its secondary indexes are set aside and built
  // once at the end (a sort, not millions of scattered inserts); if the pull stops
  // short they are built again at once, so the app never reads without them.
  if (bulk) setIndexesAside(db);
  try {
    await pullPages(db, fetchPage, bulk, summary, clock, pushedVersion, progress, page);
  } finally {
    putIndexesBack(db);
  }
}

/** The unique-free indexes of the synced tables: dropped for a bootstrap, their SQL kept in sync_state until they are back. */
export function setIndexesAside(db: Database.Database): void {
  if (readState(db, 'indexes_aside') !== undefined) return;
  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
    AND tbl_name IN (${SYNCED_TABLES.map(() => '?').join(', ')})`).all(...SYNCED_TABLES) as { name: string; sql: string }[];
  db.transaction(() => {
    writeState(db, 'indexes_aside', JSON.stringify(indexes));
    for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);
  }).immediate();
}

/** Build again the indexes a bootstrap set aside (also after one that was killed: sync calls it first). */
export function putIndexesBack(db: Database.Database): void {
  const aside = readState(db, 'indexes_aside');
  if (aside === undefined) return;
  db.transaction(() => {
    for (const i of JSON.parse(aside) as { name: string; sql: string }[]) db.exec(i.sql.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    db.prepare("DELETE FROM sync_state WHERE key = 'indexes_aside'").run();
  }).immediate();
}

export async function pullPages(
  db: Database.Database, fetchPage: (c: Cursor) => Promise<PulledRow[]>, bulk: boolean, summary: SyncSummary, clock: () => Date,
  pushedVersion: number, progress: () => void, page: number,
): Promise<void> {
  let next = fetchPage(JSON.parse(readState(db, 'cursor') ?? JSON.stringify(START)) as Cursor);
  for (;;) {
    const rows = await next;
    const done = rows.length < page;
    const end = rows[rows.length - 1];
    // The next page is on its way while this one lands.
    if (!done && end) {
      next = fetchPage({ version: end.version, tbl: end.tbl, row: end.row_id });
      next.catch(() => {}); // awaited at the next turn; a failure then ends the sync
    }
    db.transaction(() => {
      let latest: string | null = null;
      const pulled: Pending[] = rows.map((r) => {
        const row = { ...r.data, id: r.row_id };
        for (const c of Object.values(row.field_hlc ?? {})) if (!latest || c > latest) latest = c;
        return { table: r.tbl, row };
      });
      // A hold of this device's that another device's earlier hold displaced arrives
      // released: said here too, whichever device reached the server first.
      const displaced = pulled.filter((p) => p.table === 'sales_unit_holds' && p.row.release_reason === 'conflict'
        && (prepareCached(db, 'SELECT released_at FROM sales_unit_holds WHERE id = ?').get(p.row.id) as { released_at: string | null } | undefined)?.released_at === null);
      if (pulled.length) {
        if (bulk) withoutAggregateTriggers(db, () => land(db, pulled, lastIssued(db) === 0));
        else land(db, pulled);
      }
      for (const d of displaced) {
        if (summary.conflicts.some((c) => c.kind === 'hold_conflict' && c.hold_id === d.row.id)) continue;
        summary.conflicts.push({ kind: 'hold_conflict', hold_id: d.row.id, unit_id: String(d.row.unit_id), words: holdConflictWords(db, d.row.id, String(d.row.unit_id)) });
      }
      // Later local changes must carry a clock after everything seen here.
      if (latest) {
        const last = readState(db, 'hlc');
        writeState(db, 'hlc', formatHlc(receive(last ? parseHlc(last) : null, parseHlc(latest), deviceNow(db, clock()), readState(db, 'client_id')!)));
      }
      if (end) writeState(db, 'cursor', JSON.stringify({ version: end.version, tbl: end.tbl, row: end.row_id }));
      // Everything up to here is on this device now (others' rows pulled, its own held):
      // what the server compares a change's row against to know whether this device
      // already has the row as the change leaves it.
      if (done) {
        const seen = Math.max(pushedVersion, end ? end.version : 0, Number(readState(db, 'seen_version') ?? '0'));
        writeState(db, 'seen_version', String(seen));
        if (bulk) {
          rebuildAggregates(db);
          db.prepare("DELETE FROM sync_state WHERE key = 'bulk_pull'").run();
        }
      }
    }).immediate();
    summary.pulled += rows.length;
    progress();
    if (done) return;
  }
}

export const triggersOfSynced = new WeakMap<Database.Database, { name: string; sql: string }[]>();
/** Run `work` (in the caller's transaction) with the triggers on the synced tables set aside, and put them back. */
export function withoutAggregateTriggers(db: Database.Database, work: () => void): void {
  let triggers = triggersOfSynced.get(db);
  if (!triggers) {
    triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (${SYNCED_TABLES.map(() => '?').join(', ')})`).all(...SYNCED_TABLES) as { name: string; sql: string }[];
    triggersOfSynced.set(db, triggers);
  }
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
  work();
  for (const t of triggers) db.exec(t.sql);
}

export interface Pending {
  table: string;
  row: ServerRow;
}


/**
 * Land a page of pulled rows, with the rows still waiting from earlier pages: every
 * row whose parents are on the device or land with it, parents first (so the
 * aggregate triggers see a booking's lead), foreign keys checked at commit (a lead
 * and its customer refer to each other). The rest wait in sync_deferred for a later page.
 */
export function land(db: Database.Database, page: Pending[], fresh = false): void {
  const key = (table: string, id: unknown) => `${table}\u0000${String(id)}`;
  const candidates = new Map<string, Pending>();
  for (const d of db.prepare('SELECT entity, row_id, row FROM sync_deferred').all() as { entity: string; row_id: string; row: string }[]) {
    candidates.set(key(d.entity, d.row_id), { table: d.entity, row: JSON.parse(d.row) as ServerRow });
  }
  for (const p of page) candidates.set(key(p.table, p.row.id), p); // a newer state of a waiting row replaces it
  // The parents the page names, and the page's own rows, looked up on the device once
  // per table (a page of 5,000 rows is a handful of queries, not 5,000).
  const parentIds = new Map<string, Set<unknown>>();
  const ownIds = new Map<string, Set<unknown>>();
  const want = (m: Map<string, Set<unknown>>, table: string, id: unknown) => {
    let ids = m.get(table);
    if (!ids) m.set(table, (ids = new Set()));
    ids.add(id);
  };
  for (const c of candidates.values()) {
    want(ownIds, c.table, c.row.id);
    for (const p of shapeOf(db, c.table).parents) {
      const v = c.row[p.column];
      if (v !== null && v !== undefined) want(parentIds, p.table, v);
    }
  }
  const onDevice = new Set<string>();
  for (const [table, ids] of parentIds) for (const id of existingIds(db, table, ids)) onDevice.add(key(table, id));
  const held = new Map<string, Record<string, unknown>>();
  for (const [table, ids] of ownIds) for (const row of localRows(db, table, ids)) held.set(key(table, row.id), row);
  const waiting: Pending[] = [];
  for (let dropped = true; dropped; ) {
    dropped = false;
    for (const [k, c] of candidates) {
      const missing = shapeOf(db, c.table).parents.some((p) => {
        const v = c.row[p.column];
        return v !== null && v !== undefined && !candidates.has(key(p.table, v)) && !onDevice.has(key(p.table, v));
      });
      if (missing) {
        candidates.delete(k);
        waiting.push(c);
        dropped = true;
      }
    }
  }
  db.pragma('defer_foreign_keys = ON');
  // Parents first; within a table, rows the device has before new ones: a row of ours
  // whose code the server changed (a collision) moves out of the way of the one that
  // keeps the code. Each local row is read once.
  const ranked = [...candidates.values()]
    .map((c) => {
      const local = held.get(key(c.table, c.row.id)) ?? null;
      return { c, local, o: (SYNCED_RANK.get(c.table) ?? 99) * 2 + (local ? 0 : 1) };
    })
    .sort((a, b) => a.o - b.o);
  for (const { c, local } of ranked) {
    try {
      applyServerRow(db, c.table, c.row, false, local, fresh);
    } catch (e) {
      // A code (or unit type) still held here by a row the server renamed or refused:
      // that row makes room, and this one lands.
      if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
      makeRoom(db, c.table, c.row);
      applyServerRow(db, c.table, c.row, false, local, fresh);
    }
  }
  db.prepare('DELETE FROM sync_deferred').run();
  const wait = prepareCached(db, 'INSERT INTO sync_deferred (entity, row_id, row) VALUES (?, ?, ?)');
  for (const w of waiting) wait.run(w.table, w.row.id, JSON.stringify(w.row));
}

/**
 * A row arriving with a code (or username) that another row here still holds: the one
 * here lost that code on the server (the server made it unique when it arrived, the
 * same way) and its new code is on a later page. It takes that code now, so the
 * arriving row can land; its own row, when it comes, finds it already done.
 */
/** A booking said for a person: its code, and its project, type and unit. */
export function bookingWords(db: Database.Database, bookingId: string): string {
  const b = prepareCached(db, `SELECT b.booking_code, b.project_name, b.unit_type, u.tower, u.unit_number FROM sales_bookings b
      LEFT JOIN sales_units u ON u.id = b.unit_id WHERE b.id = ?`).get(bookingId) as { booking_code: string; project_name: string | null; unit_type: string | null; tower: string | null; unit_number: string | null } | undefined;
  if (!b) return `booking ${bookingId}`;
  const what = [b.project_name, b.unit_type].filter(Boolean).join(' ');
  const unit = b.unit_number ? `, unit ${b.tower ? `${b.tower} ` : ''}${b.unit_number}` : '';
  return `booking ${b.booking_code}${what || unit ? ` (${what}${unit})` : ''}`;
}

/** A released hold said for a person: which unit, for whom, and why. */
export function holdConflictWords(db: Database.Database, holdId: string, unitId: string): string {
  const h = prepareCached(db, `SELECT u.project_name, u.tower, u.unit_number, l.name AS lead FROM sales_unit_holds h
      JOIN sales_units u ON u.id = h.unit_id JOIN sales_leads l ON l.id = h.lead_id WHERE h.id = ?`).get(holdId) as { project_name: string; tower: string; unit_number: string; lead: string } | undefined;
  const unit = h ? `${h.project_name}${h.tower ? ` ${h.tower}` : ''} unit ${h.unit_number}` : `unit ${unitId}`;
  return `${unit} was held on two devices at once: the hold made first keeps it, and the hold${h ? ` for ${h.lead}` : ''} made later was released`;
}

export function makeRoom(db: Database.Database, table: string, row: ServerRow): void {
  // A key of several columns set up on two devices offline. A unit (project, tower,
  // number): the server made the two one unit and retired the newcomer, so a unit here
  // holding the key is that newcomer, its answer lost with a cut connection: it is
  // retired here too, until the server's copy of it lands. A unit type: the server
  // refused the second, so a row here holding it goes, as the refusal would.
  for (const key of uniqueKeysOf(db, table)) {
    if (key.columns.some((c) => row[c] === null || row[c] === undefined)) continue;
    const holder = prepareCached(db, `SELECT id FROM "${table}" WHERE ${key.match} AND id <> ?${key.live ? ` AND (${key.live})` : ''}`)
      .get(...key.columns.map((c) => row[c]), row.id) as { id: string } | undefined;
    if (!holder) continue;
    if (table === 'sales_units') prepareCached(db, `UPDATE "${table}" SET deleted_at = ? WHERE id = ?`).run(new Date().toISOString(), holder.id);
    else removeLocalRows(db, [{ table, id: holder.id }]);
  }
  for (const column of uniqueColumnsOf(db, table)) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    const holder = prepareCached(db, `SELECT id FROM "${table}" WHERE "${column}" = ? AND id <> ?`).get(value, row.id) as { id: string } | undefined;
    if (holder) prepareCached(db, `UPDATE "${table}" SET "${column}" = ? WHERE id = ?`).run(collisionValue(String(value), holder.id), holder.id);
  }
}

/** Push, then pull. The connection is closed however it ends. */
