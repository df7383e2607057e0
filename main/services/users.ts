import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../db/schema/index.js';
import { userRoles } from '../../db/schema/enums.js';
import type { ServiceContext } from '../domain/context.js';
import { AppError, conflict, validationError } from '../domain/errors.js';
import { hashPassword, verifyPassword, verifyPasswordAsync } from '../domain/passwords.js';
import { enumOf, flag, pagination, newRecordId, requiredText, text, parsing, parsingFor } from '../domain/validation.js';
import { prepareCached } from '../../db/statements.js';
import { inTransaction, insertRecord, pageOf, preparedOnce, requireRecord, sameText, updateRecord, type Page } from './records.js';

export const addUserInput = z.strictObject({
  id: newRecordId().optional(),
  username: requiredText(64).regex(/^[A-Za-z0-9._@-]+$/, { error: 'may hold letters, digits and . _ @ - only' }),
  display_name: text(200).optional(),
  password: z.string({ error: 'must be a string' }).min(8, { error: 'must be at least 8 characters' }).max(1024),
  role: enumOf(userRoles),
});

type UserRow = typeof users.$inferSelect;
export type PublicUser = Omit<UserRow, 'password_hash' | 'other_password_hashes' | 'merged_into'>;

const publicUser = ({ password_hash: _hidden, other_password_hashes: _others, merged_into: _merged, ...rest }: UserRow): PublicUser => rest as PublicUser;

/** The hashes that sign a user in: the password, and those a sync merge brought from other devices. */
function hashesOf(row: UserRow): string[] {
  const others = row.other_password_hashes ? (JSON.parse(row.other_password_hashes) as unknown) : [];
  return [row.password_hash, ...(Array.isArray(others) ? others.filter((h): h is string => typeof h === 'string') : [])];
}

/** The live account of a username, in any case (SPEC §11: usernames are unique without regard to case). */
const byUsername = (ctx: ServiceContext, username: string) =>
  ctx.orm.select().from(users).where(and(sameText(users.username, username), isNull(users.deleted_at))).orderBy(users.created_at).limit(1).get();

/** A live account that is not merged into another. */
const current = and(isNull(users.deleted_at), isNull(users.merged_into));

/**
 * SPEC §11: a lead is assigned to a user of the tenant. The username a value names (in
 * any case), spelled as the account spells it; 422 naming the field when no active user
 * has it. Older free text that names no one is kept on the records that have it and
 * shown as unassigned (see `userDirectory`).
 */
export function assigneeName(ctx: ServiceContext, value: string, field = 'assigned_to'): string {
  // Asked for every lead written with an assignee (an import, the demo): prepared once.
  const row = preparedOnce(ctx, 'assignee', () => ctx.orm.select({ username: users.username, active: users.active }).from(users)
    .where(and(sql`lower(${users.username}) = lower(${sql.placeholder('name')})`, current)).orderBy(users.created_at).limit(1).prepare())
    .get({ name: value.trim() }) as { username: string; active: boolean } | undefined;
  if (!row) throw validationError(field, `must name a user of this tenant: there is no user '${value}'`);
  if (!row.active) throw validationError(field, `${row.username} is deactivated: assign the lead to an active user`);
  return row.username;
}

/** Who a lead can be assigned to, for everyone signed in: active users by username, no more than a name and a role. */
export const userDirectory = (ctx: ServiceContext) =>
  ctx.orm.select({ username: users.username, display_name: users.display_name, role: users.role }).from(users)
    .where(and(eq(users.active, true), current)).orderBy(sql`lower(${users.username})`).all();

export const addUser = parsing(addUserInput, (ctx: ServiceContext, { id, password, ...fields }): PublicUser => {
  return inTransaction(ctx, () => {
    const taken = byUsername(ctx, fields.username) ?? ctx.orm.select().from(users).where(eq(users.username, fields.username)).get();
    if (taken) {
      throw conflict(`username '${fields.username}' is taken${taken.username !== fields.username ? ` (as ${taken.username})` : ''}`, 'username');
    }
    const row = insertRecord(ctx, users, { ...fields, display_name: fields.display_name ?? fields.username, password_hash: hashPassword(password), active: true }, id);
    return publicUser(row);
  });
});

const NOBODY = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** As authenticate, with the password checked off the event loop (sign-in over HTTP and IPC). */
export async function authenticateAsync(ctx: ServiceContext | null, username: string, password: string): Promise<PublicUser | null> {
  const row = ctx ? byUsername(ctx, username) : undefined;
  if (!row || !row.active || row.deleted_at) {
    // Spend the same time as a real check so timing does not tell whether the user exists.
    await verifyPasswordAsync(password, NOBODY);
    return null;
  }
  for (const hash of hashesOf(row)) if (await verifyPasswordAsync(password, hash)) return publicUser(row);
  return null;
}

/** The user if the password matches an active account; null otherwise, without saying which part failed. */
export function authenticate(ctx: ServiceContext | null, username: string, password: string): PublicUser | null {
  const row = ctx ? byUsername(ctx, username) : undefined;
  if (!row || !row.active || row.deleted_at) {
    // Spend the same time as a real check so timing does not tell whether the user exists.
    verifyPassword(password, NOBODY);
    return null;
  }
  return hashesOf(row).some((hash) => verifyPassword(password, hash)) ? publicUser(row) : null;
}

export const userListInput = z.strictObject({ include_inactive: flag().optional(), limit: pagination.limit, offset: pagination.offset });

/** The tenant's users (active ones unless asked), by username; never their password hashes. */
export const listUsers = parsing(userListInput, (ctx: ServiceContext, filters): Page<PublicUser> => {
  const limit = filters.limit ?? 100;
  const offset = filters.offset ?? 0;
  const rows = ctx.orm.select().from(users)
    .where(and(isNull(users.deleted_at), filters.include_inactive ? undefined : eq(users.active, true)))
    .orderBy(sql`lower(${users.username})`, users.id).limit(limit + 1).offset(offset).all();
  return pageOf(rows.map(publicUser), limit, offset);
});

export const updateUserInput = z.strictObject({
  display_name: text(200).optional(),
  role: enumOf(userRoles).optional(),
  active: flag().optional(),
  password: addUserInput.shape.password.optional(),
});

/**
 * Change a user (SPEC §11): display name, role, active, password. A role, active or
 * password change ends every session of theirs at once (migration 0018's version).
 * The last active admin cannot be demoted or deactivated: the tenant would have nobody
 * to manage it.
 */
export const updateUser = parsingFor(updateUserInput, (ctx: ServiceContext, id, change): PublicUser => {
  return inTransaction(ctx, () => {
    const row = requireRecord(ctx, users, 'user', id);
    const stillAdmin = (change.role ?? row.role) === 'admin' && (change.active ?? row.active);
    if (row.role === 'admin' && row.active && !stillAdmin) {
      const others = prepareCached(ctx.db, "SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1 AND deleted_at IS NULL AND id <> ?").get(id) as { n: number };
      if (others.n === 0) throw conflict(`${row.username} is the only active admin: make another admin first`, change.role !== undefined ? 'role' : 'active');
    }
    const changes: Record<string, unknown> = {};
    if (change.display_name !== undefined) changes.display_name = change.display_name;
    if (change.role !== undefined) changes.role = change.role;
    if (change.active !== undefined) changes.active = change.active;
    // A new password replaces every other one a sync merge brought along.
    if (change.password !== undefined) Object.assign(changes, { password_hash: hashPassword(change.password), other_password_hashes: null });
    return publicUser(Object.keys(changes).length ? updateRecord(ctx, users, 'user', id, changes, 'update') : row);
  });
});

/** A user's id by username in any case: 404 naming the username when there is none. */
export function userIdOf(ctx: ServiceContext, username: string): string {
  const row = byUsername(ctx, username);
  if (!row) throw new AppError('not_found', `no user '${username}'`, [{ field: 'username', message: 'no such user' }]);
  return row.id;
}
