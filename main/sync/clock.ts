import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { prepareCached } from '../../db/statements.js';
import { formatHlc, parseHlc } from './hlc.js';
import { readClocks, readState, writeClocks, writeState } from './capture.js';
import type { SyncSummary } from './summary.js';

// The device's identity and clock against the server's (SPEC §8 clocks): the hello that
// measures the offset, the corrected stamps, the restamping of changes made with a slow
// clock, a new identity for a database back from a backup, and the tenant's settings
// adopted from head office.


export const OFFSET_NOISE_MS = 1_000;
/** Beyond this the Sync screen warns that the device clock is off. */
export const CLOCK_WARNING_MS = 2 * 60_000;

export const newClientId = () => randomBytes(16).toString('hex');

export const pendingCount = (db: Database.Database) => (prepareCached(db, 'SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;

export const settingsOf = (db: Database.Database) =>
  db.prepare('SELECT tenant_id, name, timezone, currency, locale, device_tag FROM tenant_settings LIMIT 1').get() as Record<string, string>;

/** The last mutation id this device ever issued (outbox ids are never reused). */
export const lastIssued = (db: Database.Database) =>
  (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'").get() as { seq: number } | undefined)?.seq ?? 0;
export const base = (db: Database.Database) => Number(readState(db, 'client_base') ?? '0');

export interface Hello {
  last_mutation_id: number;
  device_tag_taken: boolean;
  schema_version: number;
  behind: boolean;
  server_time: number;
  tenant: { tenant_id: string; name: string | null; timezone: string | null; currency: string | null; locale: string | null } | null;
  /** Server time minus this device's, measured over the call. */
  offset: number;
}

export async function hello(client: pg.ClientBase, db: Database.Database, clock: () => Date): Promise<Hello> {
  const settings = settingsOf(db);
  const { name, timezone, currency, locale } = settings;
  const sent = clock().getTime();
  const res = await client.query<{ r: Omit<Hello, 'offset'> }>('SELECT milepost.hello($1, $2, $3::jsonb, $4) AS r', [
    readState(db, 'client_id'), settings.device_tag, JSON.stringify({ name, timezone, currency, locale }), lastIssued(db) - base(db),
  ]);
  const back = clock().getTime();
  const r = res.rows[0]!.r;
  return { ...r, offset: Number(r.server_time) - Math.round((sent + back) / 2) };
}

/** This device's changes go on under a new identity, numbered from the first one not yet sent. */
export function takeNewIdentity(db: Database.Database, firstUnsent: number): void {
  const first = (db.prepare('SELECT min(mutation_id) AS m FROM sync_outbox').get() as { m: number | null }).m;
  writeState(db, 'client_id', newClientId());
  writeState(db, 'client_base', String((first ?? firstUnsent) - 1));
  // What the old identity sent since this database was copied must come down again.
  db.prepare("DELETE FROM sync_state WHERE key = 'seen_version'").run();
}

/**
 * A change the device made is now known under another clock (the server restamped it,
 * or the device moved its unsent changes forward): every field clock it set moves too.
 */
export function restampLocal(db: Database.Database, mutationId: number, from: string, to: string): void {
  const row = prepareCached(db, 'SELECT changes FROM sync_outbox WHERE mutation_id = ?').get(mutationId) as { changes: string } | undefined;
  if (!row) return;
  for (const c of JSON.parse(row.changes) as { t: string; id: string }[]) {
    const clocks = readClocks(db, c.t, c.id);
    if (!clocks) continue;
    let moved = false;
    for (const [field, clock] of Object.entries(clocks)) {
      if (clock === from) {
        clocks[field] = to;
        moved = true;
      }
    }
    if (moved) writeClocks(db, c.t, c.id, clocks);
  }
}

/** The device's clock state after this hello: corrected, and never ahead of the server's. */
export function alignClock(db: Database.Database, hi: Hello, summary: SyncSummary): void {
  const offset = Math.abs(hi.offset) <= OFFSET_NOISE_MS ? 0 : hi.offset;
  const before = Number(readState(db, 'clock_offset') ?? '0');
  summary.clock_offset_ms = offset;
  db.transaction(() => {
    writeState(db, 'clock_offset', String(offset));
    // Changes made with a clock that was off and never sent: stamped by the amount it was
    // off, so that they are taken as neither older nor newer than they are (an edit made
    // on a laptop 2 hours fast does not beat one made elsewhere a minute later).
    const forward = offset - before;
    if (Math.abs(forward) > CLOCK_WARNING_MS) {
      const unsent = db.prepare('SELECT mutation_id, hlc FROM sync_outbox WHERE mutation_id > ? ORDER BY mutation_id').all(hi.last_mutation_id + base(db)) as { mutation_id: number; hlc: string }[];
      let latest: string | null = null;
      for (const m of unsent) {
        const h = parseHlc(m.hlc);
        const to = formatHlc({ ...h, ms: h.ms + forward });
        restampLocal(db, m.mutation_id, m.hlc, to);
        prepareCached(db, 'UPDATE sync_outbox SET hlc = ? WHERE mutation_id = ?').run(to, m.mutation_id);
        latest = to;
      }
      const last = readState(db, 'hlc');
      if (latest && (!last || latest > last || forward < 0)) writeState(db, 'hlc', latest);
    }
    // A clock state left in the future by a fast clock comes back to the server's time:
    // from now on this device's changes are stamped as they happen.
    const last = readState(db, 'hlc');
    if (last && parseHlc(last).ms > hi.server_time + CLOCK_WARNING_MS / 2) {
      writeState(db, 'hlc', formatHlc({ ms: hi.server_time, counter: 0, node: readState(db, 'client_id')! }));
    }
  }).immediate();
}

/** The first device to sync names the tenant; a device that joins takes its name, time zone, currency and locale. */
export function adoptSettings(db: Database.Database, hi: Hello, summary: SyncSummary): void {
  if (!hi.tenant) return;
  const mine = settingsOf(db);
  const changed: Record<string, { from: string; to: string }> = {};
  for (const key of ['name', 'timezone', 'currency', 'locale'] as const) {
    const theirs = hi.tenant[key];
    if (theirs && theirs !== mine[key]) changed[key] = { from: mine[key]!, to: theirs };
  }
  if (!Object.keys(changed).length) return;
  const set = Object.keys(changed);
  db.prepare(`UPDATE tenant_settings SET ${set.map((k) => `"${k}" = ?`).join(', ')}, updated_at = ?`).run(...set.map((k) => changed[k]!.to), new Date().toISOString());
  summary.adopted = changed;
}

