import { vacuumInto } from './connection.js';
import BetterSqlite from 'better-sqlite3';
import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { fileURLToPath } from 'node:url';

/** Where the SQL migrations live: beside the code in development, or as given (packaged app). */
export const defaultMigrationsFolder = () =>
  process.env.MILEPOST_MIGRATIONS_DIR ?? fileURLToPath(new URL('../migrations', import.meta.url));

export class SchemaTooNewError extends Error {
  constructor(readonly dbVersion: number, readonly codeVersion: number) {
    super(
      `this database was written by a newer version of Milepost (schema ${dbVersion}, this version knows ${codeVersion}); ` +
        'update Milepost to open it',
    );
    this.name = 'SchemaTooNewError';
  }
}

export interface MigrationStatus {
  applied: number;
  known: number;
  pending: number;
}

export function migrationStatus(db: Database.Database, migrationsFolder = defaultMigrationsFolder()): MigrationStatus {
  const known = readMigrationFiles({ migrationsFolder });
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  const appliedStamps = hasTable
    ? (db.prepare('SELECT created_at FROM __drizzle_migrations').all() as { created_at: number }[]).map((r) => Number(r.created_at))
    : [];
  const newestKnown = Math.max(0, ...known.map((m) => m.folderMillis));
  if (appliedStamps.some((stamp) => stamp > newestKnown) || appliedStamps.length > known.length) {
    throw new SchemaTooNewError(appliedStamps.length, known.length);
  }
  const newestApplied = Math.max(0, ...appliedStamps);
  return {
    applied: appliedStamps.length,
    known: known.length,
    pending: known.filter((m) => m.folderMillis > newestApplied).length,
  };
}

/**
 * Bring a database up to the code's schema in one transaction. A database that
 * already holds data is copied aside first (`backupTo` gives the path), so a failed
 * or unwanted upgrade can be undone by hand.
 */
export function runMigrations(
  db: Database.Database,
  { migrationsFolder = defaultMigrationsFolder(), backupTo }: { migrationsFolder?: string; backupTo?: () => string } = {},
): MigrationStatus {
  const status = migrationStatus(db, migrationsFolder);
  if (status.pending === 0) return status;
  if (status.applied > 0 && backupTo) {
    vacuumInto(db, backupTo());
  }
  migrate(drizzle(db), { migrationsFolder });
  return { applied: status.known, known: status.known, pending: 0 };
}

/** A database's schema as SQLite keeps it: every table, index, trigger and view with its SQL (whitespace folded), SQLite's own left out. */
export function schemaOf(db: Database.Database): Map<string, string> {
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name").all() as { type: string; name: string; sql: string | null }[];
  return new Map(rows.map((r) => [`${r.type} ${r.name}`, (r.sql ?? '').replace(/\s+/g, ' ').trim()]));
}

const expected = new Map<string, Map<string, string>>();
/** The schema the migrations make, from an empty database (once per migrations folder). */
export function expectedSchema(migrationsFolder = defaultMigrationsFolder()): Map<string, string> {
  let schema = expected.get(migrationsFolder);
  if (!schema) {
    const db = new BetterSqlite(':memory:');
    try {
      runMigrations(db, { migrationsFolder });
      schema = schemaOf(db);
    } finally {
      db.close();
    }
    expected.set(migrationsFolder, schema);
  }
  return schema;
}

/**
 * How a database's schema differs from what the migrations make: what is
 * missing, what is there that should not be (a trigger slipped into a backup), what
 * was changed. Empty when they are the same.
 */
export function schemaDifferences(db: Database.Database, migrationsFolder = defaultMigrationsFolder()): string[] {
  const want = expectedSchema(migrationsFolder);
  const have = schemaOf(db);
  const out: string[] = [];
  for (const [k, sql] of want) {
    if (!have.has(k)) out.push(`${k} is missing`);
    else if (have.get(k) !== sql) out.push(`${k} is not as Milepost makes it`);
  }
  for (const k of have.keys()) if (!want.has(k)) out.push(`${k} is not Milepost's`);
  // Tables first: a missing table says more than its missing indexes.
  const rank = (d: string) => ['table', 'view', 'trigger', 'index'].indexOf(d.split(' ')[0]!);
  return out.sort((a, b) => rank(a) - rank(b));
}
