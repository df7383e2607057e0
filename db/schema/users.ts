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
  },
  (t) => [uniqueIndex('users_username_unique').on(t.username), enumCheck('users', t.role, userRoles)],
);
