import type { CountryCode } from 'libphonenumber-js';
import { prepareCached } from '../../../db/statements.js';
import type { ServiceContext } from '../../domain/context.js';
import { e164 } from '../../domain/phone.js';
import type { DuplicateAction, DuplicateKind } from './fields.js';

// Finding an imported row's duplicate: the same id, phone, email, or name and company
// as a lead of the tenant or an earlier row of the file.

export interface Duplicate {
  row: number;
  name: string;
  kind: DuplicateKind;
  /** The existing lead it matches, or the earlier row of the file. */
  lead_id: string | null;
  lead_name: string | null;
  file_row: number | null;
  action: DuplicateAction;
}

export interface Keys {
  id?: string;
  phone?: string;
  email?: string;
  nameCompany?: string;
}

const nameCompanyKey = (name: unknown, company: unknown) =>
  typeof name === 'string' && typeof company === 'string' && name.trim() && company.trim() ? `${name.trim().toLowerCase()}\u0000${company.trim().toLowerCase()}` : undefined;

export function keysOf(lead: Record<string, unknown>, country: CountryCode | undefined): Keys {
  const phone = typeof lead.phone === 'string' && lead.phone ? (e164(lead.phone, country) ?? lead.phone.replace(/[^\d+]/g, '')) : undefined;
  return {
    id: typeof lead.id === 'string' ? lead.id : undefined,
    phone: phone || undefined,
    email: typeof lead.email === 'string' && lead.email ? lead.email.trim().toLowerCase() : undefined,
    nameCompany: nameCompanyKey(lead.name, lead.company),
  };
}

/** Where a lead's keys point: to an existing lead's id or to a file row (`#<row>`). */
export class KeyIndex {
  private readonly maps = { id: new Map<string, string>(), phone: new Map<string, string>(), email: new Map<string, string>(), nameCompany: new Map<string, string>() };
  /** Each target's own id, where it has one: two records their system keeps apart are two leads, whatever their names. */
  private readonly ids = new Map<string, string>();

  add(keys: Keys, target: string) {
    for (const k of ['id', 'phone', 'email', 'nameCompany'] as const) {
      const value = keys[k];
      if (value && !this.maps[k].has(value)) this.maps[k].set(value, target);
    }
    if (keys.id) this.ids.set(target, keys.id);
  }

  find(keys: Keys): { kind: DuplicateKind; target: string } | null {
    for (const [k, kind] of [['id', 'id'], ['phone', 'phone'], ['email', 'email'], ['nameCompany', 'name_company']] as const) {
      const value = keys[k];
      const target = value ? this.maps[k].get(value) : undefined;
      if (!target) continue;
      // Two Riya Nairs of Apollo Hospitals with ids of their own (a branch's export) are two leads (a re-import lost 25 of them).
      if (kind === 'name_company' && keys.id && this.ids.has(target) && this.ids.get(target) !== keys.id) continue;
      return { kind, target };
    }
    return null;
  }
}

/** The tenant's leads by each key, their names, the codes taken, and the ids of deleted leads (a row may not bring one back). */
export function tenantLeads(ctx: ServiceContext, country: CountryCode | undefined) {
  const index = new KeyIndex();
  const names = new Map<string, string>();
  const codes = new Set<string>();
  for (const l of prepareCached(ctx.db, 'SELECT id, lead_code, name, email, phone, company FROM sales_leads WHERE deleted_at IS NULL').iterate() as Iterable<Record<string, string | null>>) {
    index.add(keysOf(l, country), l.id!);
    names.set(l.id!, l.name!);
    if (l.lead_code) codes.add(l.lead_code);
  }
  const deletedIds = new Set((prepareCached(ctx.db, 'SELECT id FROM sales_leads WHERE deleted_at IS NOT NULL').all() as { id: string }[]).map((r) => r.id));
  return { index, names, codes, deletedIds };
}
