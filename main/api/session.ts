import { SyncRuntime } from '../sync/runtime.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import type { UserRole } from '../../db/schema/enums.js';
import type { ServiceContext } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { authenticate } from '../services/users.js';
import { TENANT_ID_RE, type TenantManager } from '../tenants.js';

// Sign-in and sessions (SPEC §6): HS256 JWTs with a per-installation secret, 12 h expiry.

export interface SessionUser {
  id: string;
  username: string;
  role: UserRole;
}

/** Who is calling, in which tenant: the only thing handlers trust. */
export interface Session {
  tenantId: string;
  user: SessionUser;
  ctx: ServiceContext;
  /** Sync with the central Postgres for this app (SPEC §8). */
  sync: SyncRuntime;
}

export const TOKEN_LIFETIME_S = 12 * 60 * 60;
const unauthorized = (message = 'sign in again: the token is missing, invalid or expired') => new AppError('unauthorized', message);

/** The installation's signing secret, created on first use with mode 0600. */
export function loadSecret(dataDir: string): Uint8Array {
  const file = path.join(dataDir, 'secrets', 'jwt.key');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}

/** Slows repeated failed sign-ins for the same tenant and username: 0.25 s, doubling up to 5 s. */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(private readonly now = () => Date.now(), private readonly windowMs = 15 * 60_000) {}

  delayMs(key: string): number {
    const f = this.failures.get(key);
    if (!f || this.now() - f.last > this.windowMs) return 0;
    return f.count < 3 ? 0 : Math.min(250 * 2 ** (f.count - 3), 5_000);
  }

  failed(key: string): void {
    const f = this.failures.get(key);
    const fresh = !f || this.now() - f.last > this.windowMs;
    this.failures.set(key, { count: fresh ? 1 : f.count + 1, last: this.now() });
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}

export class Sessions {
  private readonly secret: Uint8Array;
  readonly throttle = new LoginThrottle();

  readonly sync: SyncRuntime;

  constructor(
    private readonly manager: TenantManager,
    private readonly sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
    sync?: SyncRuntime,
  ) {
    this.secret = loadSecret(manager.dataDir);
    this.sync = sync ?? new SyncRuntime(manager);
  }

  /** Check a password (slowed after failures); the answer never says whether the tenant or the user exists. */
  async checkPassword(input: { tenant_id: string; username: string; password: string }): Promise<SessionUser> {
    const key = `${input.tenant_id}\u0000${input.username.toLowerCase()}`;
    const delay = this.throttle.delayMs(key);
    if (delay > 0) await this.sleep(delay);
    const user = TENANT_ID_RE.test(input.tenant_id) && this.manager.exists(input.tenant_id)
      ? authenticate(this.manager.context(input.tenant_id, null), input.username, input.password)
      : authenticate(null, input.username, input.password);
    if (!user) {
      this.throttle.failed(key);
      throw new AppError('unauthorized', 'tenant, username or password is wrong');
    }
    this.throttle.succeeded(key);
    return { id: user.id, username: user.username, role: user.role };
  }

  /** A session held by the main process itself (the desktop app), for a user already checked. */
  open(tenantId: string, user: SessionUser): Session {
    return { tenantId, user, ctx: this.manager.context(tenantId, user.id), sync: this.sync };
  }

  /** Sign in over HTTP: a bearer token for 12 hours. */
  async login(input: { tenant_id: string; username: string; password: string }): Promise<{ token: string; expires_at: string; user: SessionUser }> {
    const user = await this.checkPassword(input);
    const expires = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;
    const token = await new SignJWT({ tenant: input.tenant_id, username: user.username })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(expires)
      .sign(this.secret);
    return { token, expires_at: new Date(expires * 1000).toISOString(), user };
  }

  /** The session of a bearer token, checked against the tenant the caller names. */
  async verify(token: string | undefined, tenantHeader: string | undefined): Promise<Session> {
    if (!token) throw unauthorized('an Authorization: Bearer token is required');
    let claims: { sub?: string; tenant?: unknown };
    try {
      ({ payload: claims } = await jwtVerify(token, this.secret, { algorithms: ['HS256'] }));
    } catch {
      throw unauthorized();
    }
    if (typeof claims.tenant !== 'string' || !claims.sub) throw unauthorized();
    if (!tenantHeader) throw new AppError('bad_request', 'the X-Tenant-ID header is required', [{ field: 'X-Tenant-ID', message: 'is required' }]);
    if (tenantHeader !== claims.tenant) {
      throw new AppError('forbidden', 'the token belongs to another tenant', [{ field: 'X-Tenant-ID', message: 'does not match the token' }]);
    }
    if (!this.manager.exists(claims.tenant)) throw unauthorized();
    // The user's current role and status, not the token's memory of them. An account a
    // sync merged into another (one username made on two devices) goes on as that one.
    const read = this.manager.context(claims.tenant, null).db.prepare('SELECT id, username, role, active, deleted_at, merged_into FROM users WHERE id = ?');
    let user = read.get(claims.sub) as (SessionUser & { active: number; deleted_at: string | null; merged_into: string | null }) | undefined;
    for (let hops = 0; user?.deleted_at && user.merged_into && hops < 5; hops += 1) user = read.get(user.merged_into) as typeof user;
    if (!user || !user.active || user.deleted_at) throw unauthorized('this account is no longer active');
    const ctx = this.manager.context(claims.tenant, user.id);
    return { tenantId: claims.tenant, user: { id: user.id, username: user.username, role: user.role }, ctx, sync: this.sync };
  }
}
