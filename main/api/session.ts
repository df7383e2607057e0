import type { SyncRuntime } from '../sync/runtime.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import type { UserRole } from '../../db/schema/enums.js';
import type { ServiceContext } from '../domain/context.js';
import { AppError } from '../domain/errors.js';

// Sign-in and sessions (SPEC §6), the transport's half: HS256 JWTs with a
// per-installation secret, 12 h expiry, and the sign-in throttle. It holds no database:
// a checked token names its caller (`Who`), and the engine makes that a Session with
// the account as it is now (main/engine/accounts.ts).

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

/** A caller as the transport knows them, plain data that crosses to the engine: the engine checks it against the account each call. */
export interface Who {
  tenantId: string;
  userId: string;
  /** The account version signed in at (migration 0018). */
  version?: number;
  /** The token's id, when the caller came with one: a signed-out token is refused. */
  jti?: string;
}

/** What the sessions ask of the engine: a password checked against the tenant's users, a token signed out there. */
export interface AccountBook {
  authenticate(tenantId: string, username: string, password: string): Promise<{ user: SessionUser; version: number } | null>;
  revoke(who: Who, expiresAt: number): Promise<void> | void;
}

export const TOKEN_LIFETIME_S = 12 * 60 * 60;
export const unauthorized = (message = 'sign in again: the token is missing, invalid or expired') => new AppError('unauthorized', message);

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

/**
 * Failed sign-ins by key (a tenant's username, or a client address): the delay served
 * after a failure, growing with the count inside the window. `free` failures cost
 * nothing; then 0.25 s, doubling up to 5 s. The table is bounded: when it is full of
 * live counts, a key it cannot hold is treated as the most failed (flooding it with new
 * usernames does not wipe anyone's count).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(private readonly now = () => Date.now(), private readonly windowMs = 15 * 60_000, private readonly cap = 10_000) {}

  delayMs(key: string, free = 2): number {
    const f = this.failures.get(key);
    if (!f) return this.failures.size >= this.cap && !this.purge() ? MAX_DELAY_MS : 0;
    if (this.now() - f.last > this.windowMs) return 0;
    return f.count <= free ? 0 : Math.min(250 * 2 ** (f.count - free - 1), MAX_DELAY_MS);
  }

  failed(key: string): void {
    const f = this.failures.get(key);
    if (!f && this.failures.size >= this.cap && !this.purge()) return;
    const fresh = !f || this.now() - f.last > this.windowMs;
    this.failures.set(key, { count: fresh ? 1 : f.count + 1, last: this.now() });
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }

  /** Drop counts past their window; whether that made room. */
  private purge(): boolean {
    for (const [k, f] of this.failures) if (this.now() - f.last > this.windowMs) this.failures.delete(k);
    return this.failures.size < this.cap;
  }
}

const MAX_DELAY_MS = 5_000;
const busy = (message: string, seconds: number) => new AppError('rate_limited', message, [{ field: '(request)', message: `try again in ${seconds} s` }], { retry_after_s: seconds });

/** At most `limit` password checks at once, `queue` more waiting; beyond that, 429 (overall throttle). */
export class CheckPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit = 2, private readonly queue = 64) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.queue) throw busy('too many sign-ins at once: try again in a moment', 2);
      await new Promise<void>((go) => this.waiting.push(go));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** Calls for one key run one after another (a username's sign-ins, a client's): parallel guesses wait their turn and its delay. */
export class KeyedQueue {
  private readonly tails = new Map<string, { tail: Promise<unknown>; waiting: number }>();
  constructor(private readonly maxWaiting = 8) {}

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const entry = this.tails.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
    if (entry.waiting >= this.maxWaiting) return Promise.reject(busy('too many sign-ins for this account or from this address at once', 5));
    entry.waiting += 1;
    const result = entry.tail.then(work, work);
    entry.tail = result.catch(() => undefined).finally(() => {
      entry.waiting -= 1;
      if (entry.waiting === 0 && this.tails.get(key) === entry) this.tails.delete(key);
    });
    this.tails.set(key, entry);
    return result;
  }
}

export class Sessions {
  private readonly secret: Uint8Array;
  readonly throttle = new LoginThrottle();
  private readonly checks = new CheckPool();
  private readonly perUser = new KeyedQueue();
  private readonly perClient = new KeyedQueue(32);

  constructor(
    private readonly accounts: AccountBook,
    dataDir: string,
    private readonly sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.secret = loadSecret(dataDir);
  }

  /**
   * Check a password; the answer never says whether the tenant or the user exists. The
   * check runs in the engine, a few at a time (CheckPool); one username's checks, and
   * one client's, run one after another, and a failure's delay is served before the
   * next of them starts — so parallel guesses gain nothing. A success clears that
   * username's count only.
   */
  async checkPassword(input: { tenant_id: string; username: string; password: string }, client = 'local'): Promise<{ user: SessionUser; version: number }> {
    const userKey = `user\u0000${input.tenant_id}\u0000${input.username.toLowerCase()}`;
    const clientKey = `client\u0000${client}`;
    return this.perUser.run(userKey, () => this.perClient.run(clientKey, async () => {
      const found = await this.checks.run(() => this.accounts.authenticate(input.tenant_id, input.username, input.password));
      if (!found) {
        this.throttle.failed(userKey);
        this.throttle.failed(clientKey);
        // An office shares one address: a client's own delay starts after ten failures.
        const delay = Math.max(this.throttle.delayMs(userKey), this.throttle.delayMs(clientKey, 10));
        if (delay > 0) await this.sleep(delay);
        throw new AppError('unauthorized', 'tenant, username or password is wrong');
      }
      this.throttle.succeeded(userKey);
      return found;
    }));
  }

  /** Sign out over HTTP: the token is refused from now on (until it would have expired anyway). */
  async revoke(token: string | undefined, tenantHeader: string | undefined): Promise<void> {
    const { who, exp } = await this.verified(token, tenantHeader);
    await this.accounts.revoke(who, exp);
  }

  /** Sign in over HTTP: a bearer token for 12 hours. */
  async login(input: { tenant_id: string; username: string; password: string }, client = 'local'): Promise<{ token: string; expires_at: string; user: SessionUser }> {
    const { user, version } = await this.checkPassword(input, client);
    const expires = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;
    const token = await new SignJWT({ tenant: input.tenant_id, username: user.username, ver: version })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime(expires)
      .sign(this.secret);
    return { token, expires_at: new Date(expires * 1000).toISOString(), user };
  }

  /** The caller a bearer token names, checked against the tenant the caller names; the engine checks the account. */
  async verify(token: string | undefined, tenantHeader: string | undefined): Promise<Who> {
    return (await this.verified(token, tenantHeader)).who;
  }

  private async verified(token: string | undefined, tenantHeader: string | undefined): Promise<{ who: Who; exp: number }> {
    if (!token) throw unauthorized('an Authorization: Bearer token is required');
    let claims: { sub?: string; tenant?: unknown; ver?: unknown; jti?: string; exp?: number };
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
    return { who: { tenantId: claims.tenant, userId: claims.sub, version: claims.ver, jti: claims.jti! }, exp: claims.exp! };
  }
}
