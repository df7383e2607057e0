import { z } from 'zod';
import { syncConfigInput } from '../../sync/runtime.js';
import { admins, everyone } from '../rules.js';
import { get, operation, post, put } from '../operation.js';
import { readsPlain } from './shapes.js';

// Sync with the central Postgres (SPEC §8), inside the running app.

export const syncOperations = {
  'sync.status': readsPlain((s) => s.sync.status(s.ctx), get('/api/v1/sync/status')),
  'sync.configure': operation({ input: syncConfigInput, who: admins, said: 'configure sync', run: (s, input) => s.sync.configure(s.ctx, input), routes: [put('/api/v1/sync/config')] }),
  'sync.run': operation({ input: z.strictObject({}), who: everyone, run: (s) => s.sync.run(s.ctx), routes: [post('/api/v1/sync/run')] }),
};
