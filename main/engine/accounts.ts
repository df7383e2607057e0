import { accountVersion, unauthorized, type Session, type SessionUser, type Who } from '../api/session.js';
import { authenticateAsync } from '../services/users.js';
import type { SyncRuntime } from '../sync/runtime.js';
import { TENANT_ID_RE } from '../domain/tenantId.js';
import { type TenantManager } from '../tenants.js';

// The engine's half of sessions (SPEC §6, §11): a caller the transport has named (a
// checked token's claims, or the desktop's signed-in user) made into a Session with
// the tenant's database — the account as it is now, or 401. Passwords are checked here
// too, since the users live in the tenant's database; the throttle and the tokens are
// the transport's (main/api/session.ts).

type UserState = SessionUser & { active: number; deleted_at: string | null; merged_into: string | null };

export class Accounts {
  constructor(private readonly manager: TenantManager, private readonly sync: SyncRuntime) {}

  private known(tenantId: string): boolean {
    return TENANT_ID_RE.test(tenantId) && this.manager.exists(tenantId);
  }

  /** The user and their account version when the password is right; null otherwise, in the same time whether or not the tenant or user exists. */
  async authenticate(tenantId: string, username: string, password: string): Promise<{ user: SessionUser; version: number } | null> {
    const ctx = this.known(tenantId) ? this.manager.context(tenantId, null) : null;
    const user = await authenticateAsync(ctx, username, password);
    if (!user || !ctx) return null;
    return { user: { id: user.id, username: user.username, role: user.role }, version: accountVersion(ctx, user.id) };
  }

  /**
   * The session of a named caller: the tenant still there, the token not signed out, the
   * account still active (an account a sync merged into another goes on as that one) and
   * at the version it was signed in at — a password, role or active change since ends it.
   */
  resume(who: Who): Session {
    if (!this.known(who.tenantId)) throw unauthorized();
    const tenant = this.manager.context(who.tenantId, null);
    if (who.jti !== undefined && tenant.db.prepare('SELECT 1 FROM auth_revoked_tokens WHERE jti = ?').get(who.jti)) throw unauthorized('this token was signed out: sign in again');
    const user = this.currentUser(who.tenantId, who.userId);
    if (who.version !== undefined && accountVersion(tenant, who.userId) !== who.version) throw unauthorized('your account was changed: sign in again');
    return { tenantId: who.tenantId, user, ctx: this.manager.context(who.tenantId, user.id), sync: this.sync, version: who.version };
  }

  /** A session for a user already checked (the CLI's and the benchmarks' own callers). */
  open(tenantId: string, user: SessionUser): Session {
    return this.resume({ tenantId, userId: user.id, version: accountVersion(this.manager.context(tenantId, null), user.id) });
  }

  /** Sign a token out: refused from now on (until it would have expired anyway). */
  revoke(who: Who, expiresAt: number): void {
    const { ctx } = this.resume(who);
    ctx.db.prepare('INSERT OR IGNORE INTO auth_revoked_tokens (jti, expires_at) VALUES (?, ?)').run(who.jti, expiresAt);
    ctx.db.prepare('DELETE FROM auth_revoked_tokens WHERE expires_at < ?').run(Math.floor(Date.now() / 1000));
  }

  /** The user a caller names, as they are now: 401 when no longer active. */
  private currentUser(tenantId: string, userId: string): SessionUser {
    const read = this.manager.context(tenantId, null).db.prepare('SELECT id, username, role, active, deleted_at, merged_into FROM users WHERE id = ?');
    let user = read.get(userId) as UserState | undefined;
    for (let hops = 0; user?.deleted_at && user.merged_into && hops < 5; hops += 1) user = read.get(user.merged_into) as UserState | undefined;
    if (!user || !user.active || user.deleted_at) throw unauthorized('this account is no longer active');
    return { id: user.id, username: user.username, role: user.role };
  }
}
