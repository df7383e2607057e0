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

/** `sales_bookings_refund_check` → `refund`: the rule's own name, from the table it belongs to. */
function ruleOf(constraint: string, table: string | null | undefined): string {
  let rule = constraint;
  if (table && rule.startsWith(`${table}_`)) rule = rule.slice(table.length + 1);
  return rule.replace(/_(check|unique|key|pkey)$/, '').replaceAll('_', ' ');
}

interface Detail {
  state?: string | null;
  constraint?: string | null;
  table?: string | null;
  column?: string | null;
}

export function refusalInWords(reason: string, detail: Detail | null | undefined, rows: { t: string; id: string }[] = []): string {
  const table = detail?.table ?? rows[0]?.t ?? null;
  const what = `a change to ${rows.length > 1 ? `${rows.length} records` : `a ${entityOf(table)}`}`;
  const ids = rows.length ? ` (${rows.slice(0, 3).map((r) => `${entityOf(r.t)} ${r.id}`).join(', ')}${rows.length > 3 ? ', …' : ''})` : '';
  const rule = detail?.constraint ? ruleOf(detail.constraint, table) : null;
  switch (detail?.state) {
    case '23514':
      return `the server refused ${what}${ids}: the ${entityOf(table)} broke the rule on its ${rule ?? 'values'} there, so this device took back the server's copy`;
    case '23505':
      return `the server refused ${what}${ids}: another ${entityOf(table)} already has the same ${rule ?? 'key'}, so this device took back the server's copy`;
    case '23502':
      return `the server refused ${what}${ids}: its ${detail.column ?? 'value'} was missing`;
    case '22023':
    case '22P02':
      return `the server refused ${what}${ids}: a value was not in a form it accepts (${reason})`;
    default:
      return `the server refused ${what}${ids}: ${reason}`;
  }
}
