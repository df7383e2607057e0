import fs from 'node:fs';
import Database from 'better-sqlite3';

// A tenant's data is its user's alone: database files, and the WAL and
// shared-memory files SQLite makes beside them with the same mode, are 0600, and the
// folders holding them 0700 — password hashes and customers' details are not for
// other accounts on the machine. (Windows keeps its own ACLs; chmod changes little there.)

/** Make the file only its owner may read (created empty if missing). */
export function privateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_WRONLY, 0o600));
    fs.chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  }
}

/** A folder only its owner may enter. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    fs.chmodSync(dir, 0o700);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  }
}

/** A consistent copy of a database into a new private file (VACUUM INTO fills the empty file made here). */
export function vacuumInto(db: Database.Database, file: string): void {
  if (fs.existsSync(file) && fs.statSync(file).size > 0) throw new Error(`${file} already exists`);
  privateFile(file);
  db.prepare('VACUUM INTO ?').run(file);
}

/**
 * SPEC §1 connection settings. synchronous=FULL: a ledger entry that was
 * acknowledged must survive a power cut, and the cost (one extra fsync per commit
 * in WAL mode) is small next to a user's click.
 */
export function openSqlite(file: string, { readonly = false, mustExist = false } = {}): Database.Database {
  // An in-memory or temporary database (':memory:', '') has no file to protect.
  if (!readonly && file !== ':memory:' && file !== '' && (!mustExist || fs.existsSync(file))) privateFile(file);
  const db = new Database(file, { readonly, fileMustExist: mustExist || readonly });
  try {
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function closeSqlite(db: Database.Database): void {
  if (!db.open) return;
  if (!db.readonly) db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
