import fs from 'node:fs';
import path from 'node:path';
import { closeSqlite, openSqlite } from '../db/connection.js';
import { migrationStatus, runMigrations } from '../db/migrate.js';
import { AppError } from './domain/errors.js';
import { backupsDir, loadSettings, tenantFile, type TenantManager } from './tenants.js';

/** A consistent copy of a tenant database (VACUUM INTO reads one snapshot, WAL included). */
export function backupTenant(manager: TenantManager, tenantId: string, out: string): void {
  const { db } = manager.get(tenantId);
  const target = path.resolve(out);
  const tmp = `${target}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
    fs.renameSync(tmp, target);
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
export function restoreTenant(manager: TenantManager, tenantId: string, from: string): { safety_copy: string | null } {
  const source = path.resolve(from);
  if (!fs.existsSync(source)) refuse(`backup file ${source} does not exist`);
  const target = tenantFile(manager.dataDir, tenantId);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staged = `${target}.restoring-${process.pid}`;
  fs.copyFileSync(source, staged);
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
      runMigrations(db);
    } finally {
      closeSqlite(db);
    }
    let safetyCopy: string | null = null;
    manager.close(tenantId);
    if (fs.existsSync(target)) {
      fs.mkdirSync(backupsDir(manager.dataDir), { recursive: true });
      safetyCopy = path.join(backupsDir(manager.dataDir), `${tenantId}-pre-restore-${Date.now()}.sqlite`);
      const current = openSqlite(target, { mustExist: true });
      try {
        current.prepare('VACUUM INTO ?').run(safetyCopy);
      } finally {
        closeSqlite(current);
      }
    }
    for (const f of [`${target}-wal`, `${target}-shm`]) fs.rmSync(f, { force: true });
    fs.renameSync(staged, target);
    return { safety_copy: safetyCopy };
  } finally {
    for (const f of [staged, `${staged}-wal`, `${staged}-shm`]) fs.rmSync(f, { force: true });
  }
}
