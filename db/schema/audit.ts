import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** SPEC §2: one row for every mutation. Append-only. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    entity: text('entity').notNull(),
    entity_id: text('entity_id').notNull(),
    action: text('action').notNull(),
    actor: text('actor'),
    at: text('at').notNull(),
    changes: text('changes').notNull(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entity_id, t.at)],
);
