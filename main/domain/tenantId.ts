import { validationError } from './errors.js';

// SPEC §1: a tenant's id, checked before any path or name is built from it.

export const TENANT_ID_RE = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Refuse a bad tenant id before any path is built from it. */
export function assertTenantId(tenantId: unknown): string {
  if (typeof tenantId !== 'string' || !TENANT_ID_RE.test(tenantId)) {
    throw validationError('tenant_id', 'must match ^[a-z0-9][a-z0-9_-]{0,62}$ (lower-case letters, digits, _ and -)');
  }
  return tenantId;
}
