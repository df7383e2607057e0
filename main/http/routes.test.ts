import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApi } from '../../test/apiFixture.js';
import { routes } from './routes.js';
import { bindRouteCases } from './routeCases/env.js';
import { estateCases } from './routeCases/estate.js';
import { recordCases } from './routeCases/records.js';
import { reportCases } from './routeCases/reports.js';

// Every route of SPEC §6 with the values it answers, in the order a branch uses them
// (the cases live in routeCases/, one file per part of the API), and proof that every
// route of the table was called.
let api: Awaited<ReturnType<typeof makeApi>>;
beforeAll(async () => {
  api = await makeApi();
  bindRouteCases(api, await api.login());
});
afterAll(() => api.close());

describe('every route answers with the right values', () => {
  recordCases();
  reportCases();
  estateCases();

  it('exercised every route of the table', () => {
    const missing = routes.map((r) => `${r.method} ${r.path}`).filter((r) => !api.called.has(r));
    expect(missing).toEqual([]);
  });
});
