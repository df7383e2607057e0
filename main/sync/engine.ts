import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { numberTypes } from '../../db/pg/reports.js';
import { AppError } from '../domain/errors.js';
import { readState, schemaVersion, writeState } from './capture.js';
import type { SyncOptions, SyncProgress, SyncSummary } from './summary.js';
import { adoptSettings, alignClock, hello, lastIssued, pendingCount, settingsOf, takeNewIdentity } from './clock.js';
import { push, seedOutbox } from './push.js';
import { pull, putIndexesBack } from './pull.js';

// SPEC §8 sync against the central Postgres: push this device's outbox (one call of
// milepost.push per batch, one transaction on the server), then pull what changed
// since the device's cursor, page by page, each page and its cursor in one SQLite
// transaction. A cut at any point loses nothing: the outbox is only trimmed after the
// server answered, a mutation id the server already has is skipped there, and a page
// is either applied with its cursor or not at all.
//
// Clocks: the device learns how far its clock is from the server's at every hello and
// stamps its changes with the corrected time from then on; changes it made with a slow
// clock and never sent are moved forward by the same amount; the server restamps any
// change still ahead of its own clock (never refusing it) and says so, and the device
// rewrites its own field clocks to match. No write is lost or reverted for a clock.

export async function defaultConnect(url: string) {
  const client = new pg.Client({ connectionString: url, types: numberTypes, connectionTimeoutMillis: 10_000 });
  // A connection that drops (server restart, network cut) fails the query in flight;
  // the event it also emits must not take the app down.
  client.on('error', () => {});
  await client.connect();
  return client;
}


export async function syncDatabase(db: Database.Database, opts: SyncOptions): Promise<SyncSummary> {
  const clock = opts.clock ?? (() => new Date());
  const summary: SyncSummary = {
    pushed: 0, skipped: 0, rejected: [], pulled: 0, conflicts: [], renamed: [], restamped: 0, clock_offset_ms: 0, adopted: {},
    new_identity: false, pending: 0, last_sync: '',
  };
  const report = (phase: SyncProgress['phase']) => () => opts.onProgress?.({ phase, pushed: summary.pushed, pulled: summary.pulled });
  // A bootstrap killed before it finished left its indexes aside: a pull that goes on
  // with it keeps them aside, anything else has them back first.
  if (readState(db, 'bulk_pull') !== '1') putIndexesBack(db);
  report('connect')();
  const client = await (opts.connect ?? defaultConnect)(opts.url);
  try {
    let hi = await hello(client, db, clock);
    const mine = settingsOf(db).tenant_id;
    if (hi.tenant?.tenant_id !== mine) {
      // Another tenant's login: nothing of this tenant goes there, nothing of that one comes here.
      throw new AppError('forbidden', `this login belongs to tenant '${hi.tenant?.tenant_id ?? '?'}', not '${mine}': use the URL head office gave for '${mine}'`, [{ field: 'url', message: `belongs to tenant '${hi.tenant?.tenant_id ?? '?'}'` }]);
    }
    if (hi.schema_version !== schemaVersion(db)) {
      // Rows of two shapes must not meet: the older side is updated first.
      throw new AppError('conflict', `the central database has tenant schema ${hi.schema_version} and this device ${schemaVersion(db)}: ${hi.schema_version < schemaVersion(db) ? 'update the central schema' : 'update Milepost on this device'} before syncing`);
    }
    if (hi.behind) {
      // The server has more of this identity's changes than this database ever made: it
      // came back from a backup. It goes on as a new device, and pulls what "it" sent since.
      db.transaction(() => takeNewIdentity(db, lastIssued(db) + 1)).immediate();
      summary.new_identity = true;
      hi = await hello(client, db, clock);
    }
    if (hi.device_tag_taken) {
      // Another device of this tenant has the same tag: take a new one, so that the
      // codes made from now on cannot collide.
      db.prepare('UPDATE tenant_settings SET device_tag = ?').run(randomBytes(2).toString('hex').toUpperCase());
      hi = await hello(client, db, clock);
    }
    alignClock(db, hi, summary);
    adoptSettings(db, hi, summary);
    seedOutbox(db, clock);
    report('push')();
    const version = await push(client, db, summary, opts, clock, report('push'));
    report('pull')();
    await pull(client, db, summary, opts, clock, version, report('pull'));
  } finally {
    await client.end().catch(() => {});
  }
  summary.pending = pendingCount(db);
  summary.last_sync = clock().toISOString();
  writeState(db, 'last_sync', JSON.stringify(summary));
  report('done')();
  return summary;
}
