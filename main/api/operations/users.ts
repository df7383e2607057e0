import { z } from 'zod';
import { addUserInput, updateUserInput, userListInput, addUser, listUsers, updateUser, userDirectory } from '../../services/users.js';
import { settingsInput, settingsView, updateSettings } from '../../services/tenantSetup.js';
import { operationsFor } from '../access.js';
import { admins, everyone } from '../rules.js';
import { get, operation, patch, post, put } from '../operation.js';
import { withId } from './shapes.js';

// Who is signed in, the tenant's users (SPEC §11) and its settings.

export const userOperations = {
  'session.me': operation({
    input: z.strictObject({}),
    who: everyone,
    reads: true,
    run: (s) => {
      const { device_tag: _device, ...tenant } = s.ctx.settings;
      // What the app offers this user (SPEC §11's table, main/api/access.ts).
      return { user: s.user, tenant, can: operationsFor(s.user.role) };
    },
  }),
  'users.add': operation({ input: addUserInput, creates: true, who: admins, run: (s, input) => addUser.parsed(s.ctx, input), routes: [post('/api/v1/users')] }),
  'users.list': operation({ input: userListInput, who: admins, run: (s, input) => listUsers.parsed(s.ctx, input), routes: [get('/api/v1/users')] }),
  'users.update': operation({ input: withId(updateUserInput), who: admins, run: (s, { id, ...body }) => updateUser.parsed(s.ctx, id, body), routes: [patch('/api/v1/users/:id')] }),
  // Who leads can be assigned to: a name and a role, for everyone.
  'users.directory': operation({ input: z.strictObject({}), who: everyone, reads: true, run: (s) => userDirectory(s.ctx), routes: [get('/api/v1/users/directory')] }),
  'settings.get': operation({ input: z.strictObject({}), who: everyone, reads: true, run: (s) => settingsView(s.ctx.settings), routes: [get('/api/v1/settings')] }),
  'settings.update': operation({
    input: settingsInput,
    who: admins,
    said: 'change the tenant settings',
    run: (s, input) => updateSettings.parsed(s.ctx, input),
    routes: [put('/api/v1/settings')],
  }),
};
