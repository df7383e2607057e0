import Database from 'better-sqlite3';

/**
 * SPEC §1 connection settings. synchronous=FULL: a ledger entry that was
 * acknowledged must survive a power cut, and the cost (one extra fsync per commit
 * in WAL mode) is small next to a user's click.
 */
export function openSqlite(file: string, { readonly = false, mustExist = false } = {}): Database.Database {
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
