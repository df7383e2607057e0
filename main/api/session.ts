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
  /** The user's account version it was opened at: a password, role or active change since ends it. */
  version?: number;
}

/** A user's account version on this device (migration 0018): 0 until their password, role or active flag first changes. */
export const accountVersion = (ctx: ServiceContext, userId: string): number =>
  (ctx.db.prepare('SELECT version FROM auth_user_versions WHERE user_id = ?').get(userId) as { version: number } | undefined)?.version ?? 0;

type UserState = SessionUser & { active: number; deleted_at: string | null; merged_into: string | null };

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
    const ctx = this.manager.context(tenantId, user.id);
    return { tenantId, user, ctx, sync: this.sync, version: accountVersion(ctx, user.id) };
  }

  /**
   * A held session checked again before each call (the desktop app): the account still
   * active and at the version it was opened at — deactivating a user or changing their
   * password or role ends it at once — with their current role.
   */
  recheck(session: Session): Session {
    const user = this.currentUser(session.tenantId, session.user.id);
    const ctx = this.manager.context(session.tenantId, user.id);
    if (session.version !== undefined && accountVersion(ctx, user.id) !== session.version) throw unauthorized('your account was changed: sign in again');
    return { ...session, user, ctx };
  }

  /** The user a token or a held session names, as they are now: 401 when no longer active. An account a sync merged into another goes on as that one. */
  private currentUser(tenantId: string, userId: string): SessionUser {
    const read = this.manager.context(tenantId, null).db.prepare('SELECT id, username, role, active, deleted_at, merged_into FROM users WHERE id = ?');
    let user = read.get(userId) as UserState | undefined;
    for (let hops = 0; user?.deleted_at && user.merged_into && hops < 5; hops += 1) user = read.get(user.merged_into) as UserState | undefined;
    if (!user || !user.active || user.deleted_at) throw unauthorized('this account is no longer active');
    return { id: user.id, username: user.username, role: user.role };
  }

  /** Sign out over HTTP: the token is refused from now on (until it would have expired anyway). */
  async revoke(token: string | undefined, tenantHeader: string | undefined): Promise<void> {
    const session = await this.verify(token, tenantHeader);
    const { payload } = await jwtVerify(token!, this.secret, { algorithms: ['HS256'] });
    session.ctx.db.prepare('INSERT OR IGNORE INTO auth_revoked_tokens (jti, expires_at) VALUES (?, ?)').run(payload.jti, payload.exp);
    session.ctx.db.prepare('DELETE FROM auth_revoked_tokens WHERE expires_at < ?').run(Math.floor(Date.now() / 1000));
  }

  /** Sign in over HTTP: a bearer token for 12 hours. */
  async login(input: { tenant_id: string; username: string; password: string }): Promise<{ token: string; expires_at: string; user: SessionUser }> {
    const user = await this.checkPassword(input);
    const expires = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;
    const ver = accountVersion(this.manager.context(input.tenant_id, null), user.id);
    const token = await new SignJWT({ tenant: input.tenant_id, username: user.username, ver })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime(expires)
      .sign(this.secret);
    return { token, expires_at: new Date(expires * 1000).toISOString(), user };
  }

  /** The session of a bearer token, checked against the tenant the caller names. */
  async verify(token: string | undefined, tenantHeader: string | undefined): Promise<Session> {
    if (!token) throw unauthorized('an Authorization: Bearer token is required');
    let claims: { sub?: string; tenant?: unknown; ver?: unknown; jti?: string };
    try {
      // A token must say when it ends, and carry its id and the account version it was signed at.
      ({ payload: claims } = await jwtVerify(token, this.secret, { algorithms: ['HS256'], requiredClaims: ['exp', 'iat', 'jti', 'sub'] }));
    } catch {
      throw unauthorized();
    }
    if (typeof claims.tenant !== 'string' || !claims.sub || typeof claims.ver !== 'number') throw unauthorized();
    if (!tenantHeader) throw new AppError('bad_request', 'the X-Tenant-ID header is required', [{ field: 'X-Tenant-ID', message: 'is required' }]);
    if (tenantHeader !== claims.tenant) {
      throw new AppError('forbidden', 'the token belongs to another tenant', [{ field: 'X-Tenant-ID', message: 'does not match the token' }]);
    }
    if (!this.manager.exists(claims.tenant)) throw unauthorized();
    // The user's current role and status, not the token's memory of them.
    const tokenUser = this.manager.context(claims.tenant, null);
    if (tokenUser.db.prepare('SELECT 1 FROM auth_revoked_tokens WHERE jti = ?').get(claims.jti)) throw unauthorized('this token was signed out: sign in again');
    const user = this.currentUser(claims.tenant, claims.sub);
    if (accountVersion(tokenUser, claims.sub) !== claims.ver) throw unauthorized('your account was changed: sign in again');
    const ctx = this.manager.context(claims.tenant, user.id);
    return { tenantId: claims.tenant, user, ctx, sync: this.sync };
  }
}
