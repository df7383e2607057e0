import { privateDir } from '../../db/connection.js';
import fs from 'node:fs';
import path from 'node:path';
import { backupTenant } from '../backup.js';
import { localDateOf } from '../../db/values/dates.js';
import { backupsDir, type TenantManager } from '../tenants.js';

// A backup of each tenant database on every day it is opened, keeping the last 7.
export const KEEP_DAILY_BACKUPS = 7;

export const dailyBackupDir = (dataDir: string, tenantId: string) => path.join(backupsDir(dataDir), 'daily', tenantId);

export function backupIfDue(manager: TenantManager, tenantId: string, now = new Date()): string | null {
  const dir = dailyBackupDir(manager.dataDir, tenantId);
  const day = localDateOf(now, manager.get(tenantId).settings.timezone);
  const file = path.join(dir, `${tenantId}-${day}.sqlite`);
  if (fs.existsSync(file)) return null;
  privateDir(dir);
  backupTenant(manager, tenantId, file);
  const old = fs.readdirSync(dir).filter((f) => /-\d{4}-\d{2}-\d{2}\.sqlite$/.test(f)).sort().slice(0, -KEEP_DAILY_BACKUPS);
  for (const f of old) fs.rmSync(path.join(dir, f), { force: true });
  return file;
}

/** "Back up now": every tenant in the data dir, into backups/manual/. */
export function backupAllNow(manager: TenantManager, now = new Date()): string[] {
  const tenants = path.join(manager.dataDir, 'tenants');
  if (!fs.existsSync(tenants)) return [];
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const dir = path.join(backupsDir(manager.dataDir), 'manual');
  privateDir(dir);
  return fs.readdirSync(tenants).filter((f) => /^[a-z0-9][a-z0-9_-]{0,62}\.sqlite$/.test(f)).map((f) => {
    const tenantId = f.replace(/\.sqlite$/, '');
    const file = path.join(dir, `${tenantId}-${stamp}.sqlite`);
    backupTenant(manager, tenantId, file);
    return file;
  });
}
