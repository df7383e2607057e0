// What the server refused, said for a person (SPEC §8: every refusal or rename the
// server makes is shown to the user in words). The server answers with the rule that
// failed (its SQLSTATE and constraint); Postgres' own text stays in `reason` for logs.

const ENTITIES: Record<string, string> = {
  users: 'user',
  audit_log: 'audit entry',
  sales_stage_settings: 'stage setting',
  sales_lead_sources: 'lead source',
  sales_campaigns: 'campaign',
  sales_customers: 'customer',
  sales_leads: 'lead',
  sales_lead_status_history: 'status change',
  sales_lead_milestones: 'milestone',
  sales_lead_engagement: 'engagement',
  sales_unit_inventory: 'unit type',
  sales_bookings: 'booking',
  sales_account_ledgers: 'ledger entry',
};

export const entityOf = (table: string | null | undefined) => (table && ENTITIES[table]) || table || 'record';

/** A record the server renamed (a code already taken) or merged (a username made on two devices), in words. */
export function renameInWords(kind: string, table: string, from: string, to: string): string {
  if (kind === 'merged_user') return `user '${from}' was also made on another device: the two are one account now, and each device's password still signs in`;
  if (kind === 'merged_unit') return `unit ${from} was also set up on another device: the two are one unit now, and this device's holds and bookings of it are on that one`;
  return `${entityOf(table)} code ${from} was already taken on the server by a record made on another device: this one is ${to} now`;
}

/** `sales_bookings_refund_check` → `refund`: the rule's own name, from the table it belongs to. */
function ruleOf(constraint: string, table: string | null | undefined): string {
  let rule = constraint;
  if (table && rule.startsWith(`${table}_`)) rule = rule.slice(table.length + 1);
  return rule.replace(/(^|_)(check|unique|key|pkey)$/, '').replaceAll('_', ' ') || 'key';
}

interface Detail {
  state?: string | null;
  constraint?: string | null;
  table?: string | null;
  column?: string | null;
}

/** How a person knows a record: its code, name or title, else its id. */
function nameOf(change: { t: string; id: string; v?: Record<string, unknown> }): string {
  const v = change.v ?? {};
  if (change.t === 'sales_unit_inventory' && v.project_name) return `${entityOf(change.t)} ${String(v.project_name)} / ${String(v.unit_type)}`;
  const label = ['booking_code', 'ledger_code', 'customer_code', 'lead_code', 'campaign_code', 'username', 'source_name', 'name']
    .map((k) => v[k]).find((x) => typeof x === 'string' && x !== '');
  return `${entityOf(change.t)} ${String(label ?? change.id)}`;
}

/**
 * A refused change in words. `changes` are the mutation's own (the device still has
 * them when it hears of the refusal): the record a person knows it by leads.
 */
export function refusalInWords(reason: string, detail: Detail | null | undefined, rows: { t: string; id: string }[] = [], changes: { t: string; id: string; v?: Record<string, unknown> }[] = []): string {
  const table = detail?.table ?? rows[0]?.t ?? null;
  const main = changes.find((c) => c.t === table) ?? changes.find((c) => c.t !== 'audit_log') ?? rows.find((r) => r.t !== 'audit_log');
  if (detail?.state === '23505' && table === 'sales_unit_inventory' && main) {
    return `the server refused ${nameOf(main)}: that unit type was already set up on another device, so this device now uses the one the server has`;
  }
  const what = main ? nameOf(main) : `a change to ${rows.length} record(s)`;
  const rule = detail?.constraint ? ruleOf(detail.constraint, table) : null;
  switch (detail?.state) {
    case '23514':
      return `the server refused ${what}: the ${entityOf(table)} broke the rule on its ${rule ?? 'values'} there, so this device took back the server's copy`;
    case '23505':
      return `the server refused ${what}: another ${entityOf(table)} already has the same ${rule ?? 'key'}, so this device took back the server's copy`;
    case '23502':
      return `the server refused ${what}: its ${detail.column ?? 'value'} was missing`;
    case '22023':
    case '22P02':
      return `the server refused ${what}: a value was not in a form it accepts (${reason})`;
    default:
      return `the server refused ${what}: ${reason}`;
  }
}
