import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads, users } from '../../db/schema/index.js';
import { audit, assertCurrent, assertIdFree, assertReference, idOrCode, inTransaction, insertRecord, nextCode, pageOf, updateRecord } from './records.js';
import type { Change } from '../domain/context.js';
import { makeTenant, refusal, snapshot } from '../../test/tenantFixture.js';

// The bookkeeping every record shares (SPEC §2): ids, timestamps, audit, one transaction.

let t: ReturnType<typeof makeTenant>;
beforeAll(() => (t = makeTenant()));
afterAll(() => t.close());

const auditOf = (id: string) => t.ctx.db.prepare('SELECT action, actor, changes FROM audit_log WHERE entity_id = ? ORDER BY at').all(id) as { action: string; actor: string; changes: string }[];

describe('records', () => {
  it('stamps a new record and its change, and audits each as made by the actor', () => {
    const row = insertRecord(t.ctx, leads, { name: 'Kavya Rao', status: 'new', reached_rank: 0, lead_date: '2025-11-25' }, 'lead-1');
    expect(row).toMatchObject({ id: 'lead-1', name: 'Kavya Rao', created_by: 'user-admin' });
    expect(row.updated_at).toBe(row.created_at);
    const changed = updateRecord(t.ctx, leads, 'lead', 'lead-1', { notes: 'asked for a brochure' });
    expect(changed.notes).toBe('asked for a brochure');
    expect(changed.updated_at > row.updated_at).toBe(true);
    expect(auditOf('lead-1').map((a) => [a.action, a.actor])).toEqual([['create', 'user-admin'], ['update', 'user-admin']]);
  });

  it('writes nothing of a transaction that fails, its audit rows included', () => {
    const before = snapshot(t.ctx);
    expect(() => inTransaction(t.ctx, () => {
      insertRecord(t.ctx, leads, { name: 'Half made', status: 'new', reached_rank: 0, lead_date: '2025-11-25' }, 'lead-2');
      assertReference(t.ctx, leads, 'lead', 'no-such-lead', 'customer_lead');
    })).toThrow("lead 'no-such-lead' not found");
    expect(snapshot(t.ctx)).toEqual(before);
  });

  it('never writes a password into the audit trail, only that it changed', () => {
    audit(t.ctx, 'users', 'u-1', 'update', { password_hash: 'scrypt$secret', role: 'manager' });
    expect(JSON.parse(auditOf('u-1')[0]!.changes)).toEqual({ password_hash: '(changed)', role: 'manager' });
    expect(users).toBeDefined();
  });

  it('refuses an id already taken, deleted records included, and a change based on a stale copy', () => {
    expect(refusal(() => assertIdFree(t.ctx, leads, 'lead-1')).details).toEqual([{ field: 'id', message: 'already exists' }]);
    expect(() => assertIdFree(t.ctx, leads, 'lead-9')).not.toThrow();
    const stale = refusal(() => assertCurrent('lead', { updated_at: '2025-11-25T10:00:00.005Z' }, '2025-11-25T10:00:00.001Z'));
    expect([stale.code, stale.details[0]?.field]).toEqual(['conflict', 'expected_updated_at']);
    expect(() => assertCurrent('lead', { updated_at: 'x' }, undefined)).not.toThrow();
  });

  it('counts codes per device, names a record by id or code, pages, and reads 0/1 as booleans', () => {
    const tag = t.ctx.settings.device_tag;
    expect([nextCode(t.ctx, 'LED'), nextCode(t.ctx, 'LED'), nextCode(t.ctx, 'BKG')]).toEqual([`LED-${tag}-000001`, `LED-${tag}-000002`, `BKG-${tag}-000001`]);
    t.ctx.db.prepare("UPDATE sales_leads SET lead_code = 'LD-000123' WHERE id = 'lead-1'").run();
    expect([idOrCode(t.ctx, 'sales_leads', 'lead_code', 'LD-000123'), idOrCode(t.ctx, 'sales_leads', 'lead_code', 'lead-1'), idOrCode(t.ctx, 'sales_leads', 'lead_code', 'LD-9')])
      .toEqual(['lead-1', 'lead-1', 'LD-9']);
    expect(pageOf([1, 2, 3], 2, 10)).toEqual({ items: [1, 2], next_offset: 12 });
    expect(pageOf([1, 2], 2, 0)).toEqual({ items: [1, 2], next_offset: null });
  });

  it('answers a flag as true/false and hands sync the row as SQLite holds it (0/1), only its own columns', () => {
    const changes: Change[] = [];
    const ctx = { ...t.ctx, capture: { change: (_: unknown, c: Change) => changes.push(c), collect: <T>(_: unknown, work: () => T) => work() } };
    const made = insertRecord(ctx, users, { username: 'flagged', role: 'sales_rep', password_hash: 'x', active: true, not_a_column: 'dropped' }, 'user-flag');
    expect([made.active, 'not_a_column' in made]).toEqual([true, false]);
    const off = updateRecord(ctx, users, 'user', 'user-flag', { active: false });
    expect(off.active).toBe(false);
    const ofUser = changes.filter((c) => c.t === 'users');
    expect(ofUser.map((c) => [c.op, (c.v as Record<string, unknown>).active])).toEqual([['insert', 1], ['update', 0]]);
    expect(Object.keys(ofUser[1]!.v as object).sort()).toEqual(['active', 'updated_at']);
    expect(t.ctx.db.prepare("SELECT active FROM users WHERE id = 'user-flag'").get()).toEqual({ active: 0 });
  });
});
