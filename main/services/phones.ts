import { prepareCached } from '../../db/statements.js';
import { customers, leads } from '../../db/schema/index.js';
import type { ServiceContext } from '../domain/context.js';
import { countryOfLocale, e164 } from '../domain/phone.js';
import { updateRecord } from './records.js';

// Numbers stored before every path read phones one way (`98450 12345` as
// typed, `+91 9893152208` from the demo) are brought to E.164; those that cannot be
// read are kept as typed, for `milepost check phones` to list.

const TABLES = [
  { table: leads, name: 'sales_leads', entity: 'lead', kind: 'lead', code: 'lead_code' },
  { table: customers, name: 'sales_customers', entity: 'customer', kind: 'customer', code: 'customer_code' },
] as const;
const STORED = /^\+[1-9]\d{5,14}$/;

/** Every stored number not yet in E.164, read with the tenant's country: the ones read are rewritten (as changes, so they sync). */
export function normaliseStoredPhones(ctx: ServiceContext): { changed: number; unreadable: number } {
  const country = countryOfLocale(ctx.settings.locale);
  let changed = 0;
  let unreadable = 0;
  for (const t of TABLES) {
    const rows = prepareCached(ctx.db, `SELECT id, phone FROM ${t.name} WHERE phone IS NOT NULL AND deleted_at IS NULL`).all() as { id: string; phone: string }[];
    for (const r of rows) {
      if (STORED.test(r.phone)) continue;
      const read = r.phone.trim() === '' ? null : e164(r.phone, country);
      if (read) {
        updateRecord(ctx, t.table, t.entity, r.id, { phone: read }, 'normalise_phone');
        changed += 1;
      } else unreadable += 1;
    }
  }
  return { changed, unreadable };
}

export interface UnreadablePhone {
  kind: 'lead' | 'customer';
  id: string;
  code: string | null;
  name: string;
  phone: string;
}

/** The numbers kept as typed because they cannot be read as a phone number of any country (to be put right by hand). */
export function unreadablePhones(ctx: ServiceContext): UnreadablePhone[] {
  const country = countryOfLocale(ctx.settings.locale);
  const out: UnreadablePhone[] = [];
  for (const t of TABLES) {
    const rows = prepareCached(ctx.db, `SELECT id, ${t.code} AS code, name, phone FROM ${t.name} WHERE phone IS NOT NULL AND deleted_at IS NULL ORDER BY ${t.code}, id`).all() as Omit<UnreadablePhone, 'kind'>[];
    for (const r of rows) if (!STORED.test(r.phone) || !e164(r.phone, country)) out.push({ kind: t.kind, ...r });
  }
  return out;
}
