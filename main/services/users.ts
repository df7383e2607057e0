import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../db/schema/index.js';
import { userRoles } from '../../db/schema/enums.js';
import type { ServiceContext } from '../domain/context.js';
import { conflict } from '../domain/errors.js';
import { hashPassword, verifyPassword } from '../domain/passwords.js';
import { enumOf, parseInput, recordId, requiredText, text } from '../domain/validation.js';
import { inTransaction, insertRecord } from './records.js';

export const addUserInput = z.strictObject({
  id: recordId().optional(),
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

export function addUser(ctx: ServiceContext, input: unknown): PublicUser {
  const { id, password, ...fields } = parseInput(addUserInput, input);
  return inTransaction(ctx, () => {
    if (ctx.orm.select({ id: users.id }).from(users).where(eq(users.username, fields.username)).get()) {
      throw conflict(`username '${fields.username}' is taken`, 'username');
    }
    const row = insertRecord<UserRow>(ctx, users, { ...fields, display_name: fields.display_name ?? fields.username, password_hash: hashPassword(password), active: true }, id);
    return publicUser(row);
  });
}

/** The user if the password matches an active account; null otherwise, without saying which part failed. */
export function authenticate(ctx: ServiceContext | null, username: string, password: string): PublicUser | null {
  const row = ctx?.orm.select().from(users).where(eq(users.username, username)).get();
  if (!row || !row.active || row.deleted_at) {
    // Spend the same time as a real check so timing does not tell whether the user exists.
    verifyPassword(password, 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    return null;
  }
  return hashesOf(row).some((hash) => verifyPassword(password, hash)) ? publicUser(row) : null;
}
