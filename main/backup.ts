import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { closeSqlite, openSqlite, privateDir, privateFile, vacuumInto } from '../db/connection.js';
import { migrationStatus, runMigrations, schemaDifferences } from '../db/migrate.js';
import { AppError } from './domain/errors.js';
import { backupsDir, tenantFile, tenantFilesDir, type TenantManager } from './tenants.js';
import { loadSettings } from './services/tenantSetup.js';

// A backup is one SQLite file: a consistent copy of the tenant's database, plus the
// files kept beside it (visit photos) in a table of their own, so that restoring it
// brings back the photos its milestones refer to. The table never reaches a live
// database: restore unpacks it and drops it.

const FILES_TABLE = 'milepost_backup_files';

/** Every file under a folder, as paths relative to it with `/` separators. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Put the tenant's files into the backup copy, one row each. */
function packFiles(backup: string, filesDir: string): number {
  const db = openSqlite(backup, { mustExist: true });
  try {
    db.exec(`CREATE TABLE ${FILES_TABLE} (path TEXT PRIMARY KEY, bytes BLOB NOT NULL)`);
    const insert = db.prepare(`INSERT INTO ${FILES_TABLE} (path, bytes) VALUES (?, ?)`);
    const files = filesUnder(filesDir);
    db.transaction(() => {
      for (const file of files) insert.run(file, fs.readFileSync(path.join(filesDir, file)));
    })();
    return files.length;
  } finally {
    closeSqlite(db);
  }
}

/**
 * Write a backup's files into a new folder and drop their table, or null when the
 * backup holds none (made before photos existed). A path leaving the folder refuses
 * the whole backup.
 */
function unpackFiles(db: Database.Database, source: string, into: string): string | null {
  const packed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(FILES_TABLE);
  if (!packed) return null;
  fs.rmSync(into, { recursive: true, force: true });
  fs.mkdirSync(into, { recursive: true, mode: 0o700 });
  for (const row of db.prepare(`SELECT path, bytes FROM ${FILES_TABLE}`).iterate() as Iterable<{ path: string; bytes: Buffer }>) {
    const file = path.resolve(into, row.path);
    if (!file.startsWith(into + path.sep)) refuse(`${source} holds a file outside the tenant's folder: ${row.path}`);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, row.bytes, { mode: 0o600 });
  }
  db.exec(`DROP TABLE ${FILES_TABLE}`);
  db.exec('VACUUM');
  return into;
}

/** A consistent copy of a tenant database (VACUUM INTO reads one snapshot, WAL included), with its files. */
export function backupTenant(manager: TenantManager, tenantId: string, out: string): { files: number } {
  const { db } = manager.get(tenantId);
  const target = path.resolve(out);
  const tmp = `${target}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  try {
    vacuumInto(db, tmp);
    const files = packFiles(tmp, tenantFilesDir(manager.dataDir, tenantId));
    fs.renameSync(tmp, target);
    return { files };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

function refuse(message: string): never {
  throw new AppError('bad_request', message, [{ field: 'from', message }]);
}

/**
 * Replace a tenant's database with a backup. The backup is checked (a SQLite file,
 * intact, a Milepost database of this tenant, not newer than the code) and brought
 * to the current schema on a copy; only then is the current file set aside in
 * backups/ and the copy moved into place. Any failure leaves the current file as it was.
 */
export function restoreTenant(manager: TenantManager, tenantId: string, from: string): { safety_copy: string | null; files_safety_copy: string | null } {
  const source = path.resolve(from);
  if (!fs.existsSync(source)) refuse(`backup file ${source} does not exist`);
  const target = tenantFile(manager.dataDir, tenantId);
  privateDir(path.dirname(target));
  const staged = `${target}.restoring-${process.pid}`;
  const filesDir = tenantFilesDir(manager.dataDir, tenantId);
  const stagedFiles = `${filesDir}.restoring-${process.pid}`;
  fs.copyFileSync(source, staged);
  privateFile(staged);
  let unpacked: string | null = null;
  try {
    let db;
    try {
      db = openSqlite(staged, { mustExist: true });
      const check = db.pragma('integrity_check', { simple: true });
      if (check !== 'ok') refuse(`backup file ${source} is corrupt (${String(check)})`);
    } catch (err) {
      db?.close();
      if (err instanceof AppError) throw err;
      refuse(`${source} is not a readable SQLite database: ${(err as Error).message}`);
    }
    try {
      const hasSettings = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tenant_settings'").get();
      if (!hasSettings) refuse(`${source} is not a Milepost database`);
      const owner = loadSettings(db).tenant_id;
      if (owner !== tenantId) refuse(`${source} is a backup of tenant '${owner}', not '${tenantId}'`);
      migrationStatus(db); // refuses a database newer than the code
      unpacked = unpackFiles(db, source, stagedFiles);
      runMigrations(db);
      // Its whole schema must be what the migrations make: a trigger slipped
      // into a backup would run on every write after the restore.
      const differences = schemaDifferences(db);
      if (differences.length) {
        refuse(`${source} does not have the schema Milepost makes: ${differences.slice(0, 5).join('; ')}${differences.length > 5 ? `; and ${differences.length - 5} more` : ''}`);
      }
      // And someone must be able to sign in to it.
      if (!db.prepare('SELECT 1 FROM users WHERE active = 1 AND deleted_at IS NULL AND merged_into IS NULL LIMIT 1').get()) {
        refuse(`${source} has no active user: nobody could sign in to it`);
      }
    } finally {
      closeSqlite(db);
    }
    let safetyCopy: string | null = null;
    manager.close(tenantId);
    if (fs.existsSync(target)) {
      privateDir(backupsDir(manager.dataDir));
      safetyCopy = path.join(backupsDir(manager.dataDir), `${tenantId}-pre-restore-${Date.now()}.sqlite`);
      const current = openSqlite(target, { mustExist: true });
      try {
        vacuumInto(current, safetyCopy);
      } finally {
        closeSqlite(current);
      }
    }
    // The backup's files replace the current ones, which are set aside beside the
    // database's safety copy; a backup without files leaves them where they are.
    let filesSafetyCopy: string | null = null;
    if (unpacked && fs.existsSync(filesDir)) {
      privateDir(backupsDir(manager.dataDir));
      filesSafetyCopy = path.join(backupsDir(manager.dataDir), `${tenantId}-pre-restore-${Date.now()}.files`);
      fs.renameSync(filesDir, filesSafetyCopy);
    }
    for (const f of [`${target}-wal`, `${target}-shm`]) fs.rmSync(f, { force: true });
    fs.renameSync(staged, target);
    if (unpacked) fs.renameSync(unpacked, filesDir);
    return { safety_copy: safetyCopy, files_safety_copy: filesSafetyCopy };
  } finally {
    for (const f of [staged, `${staged}-wal`, `${staged}-shm`]) fs.rmSync(f, { force: true });
    fs.rmSync(stagedFiles, { recursive: true, force: true });
  }
}
