import { z } from 'zod';
import type { ServiceContext } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { syncStatus, syncTenant, withoutPassword, type SyncStatus } from './tenantSync.js';
import type { TenantManager } from '../tenants.js';
import { readState, writeState } from './capture.js';
import type { SyncProgress, SyncSummary } from './summary.js';

// Sync inside the running app (desktop or `milepost serve`): where the connection is
// configured, where its password is kept, and the background schedule. The password
// never goes into the database or any file in plain text: the desktop keeps it with
// the OS keychain (Electron safeStorage, main/electron/secrets.ts); `serve` keeps it in
// the process's memory only.

export interface SecretStore {
  /** Whether secrets outlive the process (the desktop's keychain) or not (memory). */
  readonly persistent: boolean;
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
}

export class MemorySecrets implements SecretStore {
  readonly persistent: boolean = false;
  protected readonly values: Map<string, string>;
  constructor(initial: Record<string, string> = {}) {
    this.values = new Map(Object.entries(initial));
  }
  get(key: string) {
    return this.values.get(key);
  }
  set(key: string, value: string) {
    this.values.set(key, value);
  }
  delete(key: string) {
    this.values.delete(key);
  }
}

/**
 * The desktop's keychain as the engine's process sees it (main/engine/worker.ts): the
 * passwords the main process read from the keychain at start, and each change sent back
 * for the main process to keep there (only it may use Electron's safeStorage).
 */
export class RelayedSecrets extends MemorySecrets {
  constructor(override readonly persistent: boolean, initial: Record<string, string>, private readonly keep: (key: string, value: string | null) => void) {
    super(initial);
  }
  override set(key: string, value: string) {
    super.set(key, value);
    this.keep(key, value);
  }
  override delete(key: string) {
    super.delete(key);
    this.keep(key, null);
  }
}

export const syncConfigInput = z.strictObject({
  url: z
    .string({ error: 'is required' })
    .max(2000)
    .superRefine((v, ctx) => {
      if (!URL.canParse(v) || !['postgres:', 'postgresql:'].includes(new URL(v).protocol)) ctx.addIssue({ code: 'custom', message: 'must be a postgres:// URL' });
      else if (new URL(v).username === '') ctx.addIssue({ code: 'custom', message: 'must name the login (postgres://LOGIN@host/database)' });
    }),
  /** The login's password, when the URL does not carry it. */
  password: z.string().min(1, { error: 'must not be empty' }).max(1024).optional(),
});

export interface RuntimeStatus extends SyncStatus {
  has_password: boolean;
  password_kept: 'keychain' | 'memory' | null;
  /** Where a password given now would be kept: the desktop's keychain, or the serving process's memory. */
  passwords_kept_in: 'keychain' | 'memory';
  progress: SyncProgress | null;
  last_error: string | null;
  next_run_at: string | null;
}

export const secretKey = (tenantId: string) => `sync-password:${tenantId}`;
export const DEFAULT_INTERVAL_MS = 5 * 60_000;

export class SyncRuntime {
  private readonly progress = new Map<string, SyncProgress>();
  private readonly errors = new Map<string, string>();
  private readonly scheduled = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private nextRun: Date | null = null;

  constructor(
    private readonly manager: TenantManager,
    private readonly secrets: SecretStore = new MemorySecrets(),
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
  ) {}

  /** Keep the server's URL (without its password) in the tenant's database, the password with the secret store. */
  /** Where the tenant syncs to, as read by syncConfigInput. */
  configure(ctx: ServiceContext, { url, password }: z.output<typeof syncConfigInput>): RuntimeStatus {
    const inUrl = decodeURIComponent(new URL(url).password);
    const secret = password ?? (inUrl || undefined);
    writeState(ctx.db, 'pg_url', withoutPassword(url));
    if (secret !== undefined) this.secrets.set(secretKey(ctx.settings.tenant_id), secret);
    this.schedule(ctx.settings.tenant_id);
    return this.status(ctx);
  }

  status(ctx: ServiceContext): RuntimeStatus {
    const tenantId = ctx.settings.tenant_id;
    const has = this.secrets.get(secretKey(tenantId)) !== undefined;
    return {
      ...syncStatus(ctx),
      has_password: has,
      password_kept: has ? (this.secrets.persistent ? 'keychain' : 'memory') : null,
      passwords_kept_in: this.secrets.persistent ? 'keychain' : 'memory',
      progress: this.progress.get(tenantId) ?? null,
      last_error: this.errors.get(tenantId) ?? null,
      next_run_at: this.scheduled.has(tenantId) && this.nextRun ? this.nextRun.toISOString() : null,
    };
  }

  /** Sync a tenant now with its configured connection. */
  async run(ctx: ServiceContext): Promise<SyncSummary> {
    const tenantId = ctx.settings.tenant_id;
    const stored = readState(ctx.db, 'pg_url');
    if (!stored) throw new AppError('bad_request', 'sync is not configured for this tenant: set the central Postgres URL first', [{ field: 'url', message: 'not configured' }]);
    const password = this.secrets.get(secretKey(tenantId));
    if (password === undefined) throw new AppError('bad_request', 'the password of the sync login is not known on this device: enter it again', [{ field: 'password', message: 'missing' }]);
    const url = new URL(stored);
    url.password = password;
    try {
      const summary = await syncTenant(this.manager, tenantId, { url: url.toString(), onProgress: (p) => this.progress.set(tenantId, p) });
      this.errors.delete(tenantId);
      return summary;
    } catch (e) {
      // What the screen shows; the password never appears in it.
      this.errors.set(tenantId, (e as Error).message.replaceAll(password, '***'));
      throw e instanceof AppError ? e : new AppError('unavailable', `sync failed: ${(e as Error).message.replaceAll(password, '***')}`);
    } finally {
      this.progress.delete(tenantId);
    }
  }

  /** Sync this tenant in the background every interval from now on (the desktop does for the signed-in tenant). */
  schedule(tenantId: string): void {
    this.scheduled.add(tenantId);
    if (this.timer) return;
    this.nextRun = new Date(Date.now() + this.intervalMs);
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** One round of the background schedule; a tenant already syncing or not configured is left alone. */
  async tick(): Promise<void> {
    this.nextRun = new Date(Date.now() + this.intervalMs);
    for (const tenantId of this.scheduled) {
      if (!this.manager.exists(tenantId)) continue;
      const ctx = this.manager.context(tenantId, null);
      if (!readState(ctx.db, 'pg_url') || this.secrets.get(secretKey(tenantId)) === undefined || this.progress.has(tenantId)) continue;
      await this.run(ctx).catch(() => {}); // kept in last_error for the Sync screen
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
