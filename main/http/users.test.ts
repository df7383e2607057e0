import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { useApi } from '../../test/apiFixture.js';
import { loadSecret } from '../api/session.js';
import { updateSettings } from '../services/tenantSetup.js';
import { TenantManager } from '../tenants.js';

// Users can be offboarded, and every session of theirs ends at once — when
// they are deactivated, or their password or role changes; signing out ends a token on
// the server; a token must carry its expiry.

const served = useApi();

const leads = (h: Record<string, string>) => served.api.request('GET', '/api/v1/sales/leads?limit=1', { headers: h });
const patch = (id: string, body: unknown) => served.api.request('PATCH', `/api/v1/users/${id}`, { body, headers: served.h });
const add = async (username: string, role = 'sales_rep') => {
  const res = await served.api.request('POST', '/api/v1/users', { body: { username, password: `${username}-pass-1`, role }, headers: served.h });
  expect(res.status, res.text).toBe(201);
  return res.body.data as { id: string; username: string };
};

describe('users and their sessions (issue 17)', () => {
  it('lists users without their password hashes; usernames are unique in any case, and sign in in any case', async () => {
    await add('Kiran');
    const taken = await served.api.request('POST', '/api/v1/users', { body: { username: 'kiran', password: 'another-pass-1', role: 'manager' }, headers: served.h });
    expect([taken.status, taken.body.error.details[0].field]).toEqual([409, 'username']);
    expect(taken.body.error.message).toContain('as Kiran');
    const list = await served.api.request('GET', '/api/v1/users?limit=50', { headers: served.h });
    expect(list.body.data.items.map((u: { username: string }) => u.username)).toEqual(['admin', 'Kiran', 'manager', 'rep']);
    expect(list.text).not.toMatch(/password|scrypt/);
    expect((await served.api.login('kiran', 't1', 'Kiran-pass-1')).Authorization).toMatch(/^Bearer /);
    // Users are an admin's.
    expect((await served.api.request('GET', '/api/v1/users', { headers: await served.api.login('manager') })).status).toBe(403);
  });

  it('ends every session of a user deactivated, or whose password or role changes, at once', async () => {
    const u = await add('temp1');
    const one = await served.api.login('temp1', 't1', 'temp1-pass-1');
    const two = await served.api.login('temp1', 't1', 'temp1-pass-1');
    expect((await leads(one)).status).toBe(200);
    // Display name only: sessions go on.
    expect((await patch(u.id, { display_name: 'Temp One' })).status).toBe(200);
    expect((await leads(one)).status).toBe(200);
    // Role change: both tokens refused; a new sign-in works with the new role.
    expect((await patch(u.id, { role: 'manager' })).body.data).toMatchObject({ role: 'manager' });
    for (const h of [one, two]) expect((await leads(h)).body.error).toMatchObject({ code: 'unauthorized', message: 'your account was changed: sign in again' });
    const three = await served.api.login('temp1', 't1', 'temp1-pass-1');
    expect((await leads(three)).status).toBe(200);
    // Password reset: the old token and the old password are refused.
    expect((await patch(u.id, { password: 'a-new-secret-1' })).status).toBe(200);
    expect((await leads(three)).status).toBe(401);
    expect((await served.api.request('POST', '/api/v1/auth/login', { body: { tenant_id: 't1', username: 'temp1', password: 'temp1-pass-1' } })).status).toBe(401);
    const four = await served.api.login('temp1', 't1', 'a-new-secret-1');
    // Deactivated: refused at once, and cannot sign in.
    expect((await patch(u.id, { active: false })).body.data).toMatchObject({ active: false });
    expect((await leads(four)).status).toBe(401);
    expect((await served.api.request('POST', '/api/v1/auth/login', { body: { tenant_id: 't1', username: 'temp1', password: 'a-new-secret-1' } })).status).toBe(401);
    // Listed only when asked for the inactive too.
    const all = (await served.api.request('GET', '/api/v1/users?include_inactive=true', { headers: served.h })).body.data.items as { username: string; active: unknown }[];
    // `active` a boolean, as POST and PATCH answer it.
    expect(all.find((x) => x.username === 'temp1')?.active).toBe(false);
    expect(all.find((x) => x.username === 'admin')?.active).toBe(true);
    expect((await served.api.request('GET', '/api/v1/users', { headers: served.h })).body.data.items.map((x: { username: string }) => x.username)).not.toContain('temp1');
    // The audit trail says the password changed, never what to.
    const audit = served.api.manager.get('t1').db.prepare("SELECT changes FROM audit_log WHERE entity = 'users' AND entity_id = ?").all(u.id) as { changes: string }[];
    expect(audit.map((a) => a.changes).join(' ')).not.toMatch(/scrypt/);
  });

  it('keeps the last active admin', async () => {
    const adminId = (served.api.manager.get('t1').db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: string }).id;
    const demote = await patch(adminId, { role: 'manager' });
    expect([demote.status, demote.body.error.details[0].field]).toEqual([409, 'role']);
    expect((await patch(adminId, { active: false })).status).toBe(409);
    expect((await leads(served.h)).status).toBe(200);
  });

  it('signing out ends the token on the server', async () => {
    await add('temp2');
    const h = await served.api.login('temp2', 't1', 'temp2-pass-1');
    const other = await served.api.login('temp2', 't1', 'temp2-pass-1');
    expect((await served.api.request('POST', '/api/v1/auth/logout', { headers: h })).status).toBe(200);
    expect((await leads(h)).body.error).toMatchObject({ code: 'unauthorized', message: 'this token was signed out: sign in again' });
    // Another sign-in of the same user goes on.
    expect((await leads(other)).status).toBe(200);
    expect((await served.api.request('POST', '/api/v1/auth/logout', { headers: h })).status).toBe(401);
  });

  it('refuses a token without an expiry, an id or an account version, even signed with the right key', async () => {
    const secret = loadSecret(served.api.dataDir);
    const user = (served.api.manager.get('t1').db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: string }).id;
    const make = (claims: Record<string, unknown>, exp: boolean, jti: boolean) => {
      let t = new SignJWT({ tenant: 't1', username: 'admin', ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject(user).setIssuedAt();
      if (exp) t = t.setExpirationTime('1h');
      if (jti) t = t.setJti('x-1');
      return t.sign(secret);
    };
    const tryToken = async (token: string) => (await leads({ Authorization: `Bearer ${token}`, 'X-Tenant-ID': 't1' })).status;
    expect(await tryToken(await make({ ver: 0 }, false, true))).toBe(401);
    expect(await tryToken(await make({ ver: 0 }, true, false))).toBe(401);
    expect(await tryToken(await make({}, true, true))).toBe(401);
    expect(await tryToken(await make({ ver: 0 }, true, true))).toBe(200);
  });
});

describe('tenant settings (SPEC §11)', () => {
  it('are read by anyone signed in and changed by an admin, a partial body changing only what it names', async () => {
    const rep = await served.api.login('rep');
    expect((await served.api.request('GET', '/api/v1/settings', { headers: rep })).body.data).toEqual({
      tenant_id: 't1', name: 'Tenant t1', timezone: 'Asia/Kolkata', currency: 'INR', locale: 'en-IN', hold_hours: 48, demand_notice_days: 15, rep_scope: 'all',
    });
    const refused = await served.api.request('PUT', '/api/v1/settings', { body: { name: 'Mine now' }, headers: rep });
    expect([refused.status, refused.body.error.details[0].field]).toEqual([403, 'role']);
    expect((await served.api.request('PUT', '/api/v1/settings', { body: { demand_notice_days: 7, hold_hours: 24 }, headers: await served.api.login('manager') })).status).toBe(403);
    const changed = await served.api.request('PUT', '/api/v1/settings', { body: { demand_notice_days: 7, hold_hours: 24 }, headers: served.h });
    expect(changed.body.data).toMatchObject({ name: 'Tenant t1', timezone: 'Asia/Kolkata', hold_hours: 24, demand_notice_days: 7 });
    // Every session sees it at once (the rep's too).
    expect((await served.api.request('GET', '/api/v1/settings', { headers: rep })).body.data).toMatchObject({ hold_hours: 24, demand_notice_days: 7 });
    for (const [body, field] of [[{ timezone: 'Mars/Olympus' }, 'timezone'], [{ currency: 'XYZ1' }, 'currency'], [{ locale: 'not a locale' }, 'locale'], [{ hold_hours: 0 }, 'hold_hours'], [{ demand_notice_days: 1.5 }, 'demand_notice_days'], [{ rep_scope: 'mine' }, 'rep_scope'], [{ rep_scopes: 'own' }, 'rep_scopes']] as const) {
      const bad = await served.api.request('PUT', '/api/v1/settings', { body, headers: served.h });
      expect([bad.status, bad.body.error.details[0].field], JSON.stringify(body)).toEqual([422, field]);
    }
    expect((await served.api.request('GET', '/api/v1/settings', { headers: served.h })).body.data).toMatchObject({ timezone: 'Asia/Kolkata', hold_hours: 24 });
  });

  it('changed by the CLI beside a running server (another connection), are what the server uses from its next request', async () => {
    const cli = new TenantManager(served.api.dataDir);
    try {
      updateSettings(cli.context('t1', null), { rep_scope: 'own', hold_hours: 36 });
    } finally {
      cli.closeAll();
    }
    expect((await served.api.request('GET', '/api/v1/settings', { headers: served.h })).body.data).toMatchObject({ rep_scope: 'own', hold_hours: 36 });
    // The rep's next list is their share.
    const rep = await served.api.login('rep');
    const mine = await served.api.request('GET', '/api/v1/sales/leads?limit=500', { headers: rep });
    expect(new Set(mine.body.data.items.map((l: { assigned_to: string }) => l.assigned_to))).toEqual(new Set(mine.body.data.items.length ? ['rep'] : []));
    expect((await served.api.request('PUT', '/api/v1/settings', { body: { rep_scope: 'All' }, headers: served.h })).body.data.rep_scope).toBe('all');
  });

  it('take a JSON content type with no body as no input (a client that always sends the header)', async () => {
    const res = await served.api.app.inject({ method: 'GET', url: '/api/v1/settings', headers: { ...served.h, 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    const rpc = await served.api.app.inject({ method: 'POST', url: '/api/v1/rpc/session.me', headers: { ...served.h, 'content-type': 'application/json' } });
    expect([rpc.statusCode, JSON.parse(rpc.body).data.user.username]).toEqual([200, 'admin']);
    const bad = await served.api.app.inject({ method: 'POST', url: '/api/v1/rpc/session.me', headers: { ...served.h, 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}}' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('a lead is assigned to a user (SPEC §11)', () => {
  it('names an active user in any case, stored as the account spells it; anyone else is refused naming the field', async () => {
    const sam = await add('Sam.P');
    const S = '/api/v1/sales/leads';
    const made = await served.api.request('POST', S, { body: { name: 'Meera Nair', assigned_to: 'sam.p' }, headers: served.h });
    expect([made.status, made.body.data.assigned_to]).toEqual([201, 'Sam.P']);
    const before = served.api.counts();
    for (const [to, message] of [['ravi', "must name a user of this tenant: there is no user 'ravi'"]] as const) {
      const bad = await served.api.request('POST', S, { body: { name: 'Nobody', assigned_to: to }, headers: served.h });
      expect([bad.status, bad.body.error.details[0]]).toEqual([422, { field: 'assigned_to', message }]);
    }
    await patch(sam.id, { active: false });
    const gone = await served.api.request('PATCH', `${S}/${made.body.data.id as string}`, { body: { assigned_to: 'rep' }, headers: served.h });
    expect(gone.body.data.assigned_to).toBe('rep');
    const back = await served.api.request('PATCH', `${S}/${made.body.data.id as string}`, { body: { assigned_to: 'sam.p' }, headers: served.h });
    expect([back.status, back.body.error.details[0]]).toEqual([422, { field: 'assigned_to', message: 'Sam.P is deactivated: assign the lead to an active user' }]);
    expect(served.api.counts().sales_leads).toBe(before.sales_leads);
  });

  it('keeps older free text on the leads that have it (an edit of other fields is not refused), links text that names a user when the tenant opens', async () => {
    const db = served.api.manager.get('t1').db;
    const insert = db.prepare(`INSERT INTO sales_leads (id, created_at, updated_at, name, assigned_to, status, reached_rank, lead_date)
      VALUES (?, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', ?, ?, 'new', 0, '2025-01-01')`);
    insert.run('old-1', 'Old One', ' REP ');
    insert.run('old-2', 'Old Two', 'Ravi K');
    const edited = await served.api.request('PATCH', '/api/v1/sales/leads/old-2', { body: { assigned_to: 'Ravi K', company: 'Acme' }, headers: served.h });
    expect([edited.status, edited.body.data.assigned_to, edited.body.data.company]).toEqual([200, 'Ravi K', 'Acme']);
    // The link is made once per device, when the tenant is next opened.
    db.prepare("DELETE FROM local_upgrades WHERE name = 'assignees'").run();
    served.api.manager.close('t1');
    const reopened = served.api.manager.get('t1').db;
    expect(reopened.prepare("SELECT id, assigned_to FROM sales_leads WHERE id IN ('old-1', 'old-2') ORDER BY id").all())
      .toEqual([{ id: 'old-1', assigned_to: 'rep' }, { id: 'old-2', assigned_to: 'Ravi K' }]);
    served.h = await served.api.login('admin');
  });
});
