import type Database from 'better-sqlite3';

// A cache of prepared statements, compiled once per connection: preparing is the costliest part
// of a small write, and the same few statements run for every record.
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function prepareCached(db: Database.Database, sql: string): Database.Statement {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  let stmt = perDb.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    perDb.set(sql, stmt);
  }
  return stmt;
}
