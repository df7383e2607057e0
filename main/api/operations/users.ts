import { addUser, listUsers, updateUser, userDirectory } from '../../services/users.js';
import { settingsView, updateSettings } from '../../services/tenantSetup.js';
import { operationsFor } from '../access.js';
import { admins } from '../rules.js';
import { get, patch, post, put } from '../operation.js';
import { readsPlain, runs, runsOn } from './shapes.js';

// Who is signed in, the tenant's users (SPEC §11) and its settings.

export const userOperations = {
  'session.me': readsPlain((s) => {
    const { device_tag: _device, ...tenant } = s.ctx.settings;
    // What the app offers this user (SPEC §11's table, main/api/access.ts).
    return { user: s.user, tenant, can: operationsFor(s.user.role) };
  }, undefined),
  'users.add': runs(addUser, post('/api/v1/users'), { creates: true, who: admins }),
  'users.list': runs(listUsers, get('/api/v1/users'), { who: admins }),
  'users.update': runsOn(updateUser, patch('/api/v1/users/:id'), { who: admins }),
  // Who leads can be assigned to: a name and a role, for everyone.
  'users.directory': readsPlain((s) => userDirectory(s.ctx), get('/api/v1/users/directory')),
  'settings.get': readsPlain((s) => settingsView(s.ctx.settings), get('/api/v1/settings')),
  'settings.update': runs(updateSettings, put('/api/v1/settings'), { who: admins, said: 'change the tenant settings' }),
};
