import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, enumCheck, recordColumns } from './columns.js';
import { userRoles } from './enums.js';

export const users = sqliteTable(
  'users',
  {
    ...recordColumns(),
    username: text('username').notNull(),
    display_name: text('display_name'),
    role: text('role', { enum: userRoles }).notNull(),
    password_hash: text('password_hash').notNull(),
    active: bool('active').notNull().default(true),
    /**
     * JSON array of further password hashes that sign this user in: a user made on two
     * devices offline under one username is merged into one account at sync, and keeps
     * each device's password until the password is next set (SPEC §8).
     */
    other_password_hashes: text('other_password_hashes'),
    /** Set on the account that was merged into another at sync (its records keep naming it; its sessions go on as that one). */
    merged_into: text('merged_into'),
  },
  (t) => [uniqueIndex('users_username_unique').on(t.username), enumCheck('users', t.role, userRoles)],
);
