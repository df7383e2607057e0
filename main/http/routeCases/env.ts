import { expect } from 'vitest';
import type { makeApi } from '../../../test/apiFixture.js';

// What the route cases share: the API under test and the admin's headers (bound by
// routes.test.ts once it has them), and a call that expects the route's success status.

export let api: Awaited<ReturnType<typeof makeApi>>;
export let h: Record<string, string>;
export function bindRouteCases(given: typeof api, headers: Record<string, string>) {
  api = given;
  h = headers;
}

export const S = '/api/v1/sales';
export const call = async (method: string, url: string, body?: unknown, expected = method === 'POST' ? 201 : 200) => {
  const res = await api.request(method, url, { body, headers: h });
  expect(res.status, `${method} ${url}: ${res.text}`).toBe(expected);
  return res.body.data;
};
