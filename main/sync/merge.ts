// SPEC §8 merge rules, field by field, the same on every device and in Postgres
// (db/pg/central.ts take_incoming): the later clock wins, except that a cancelled
// booking stays cancelled (a cancellation is final) and a lead's reached rank only
// rises. Each rule is a join — order-free and repeatable — so devices and server that
// have seen the same changes hold the same values, whatever the order of syncs.

export function takeIncoming(table: string, field: string, current: unknown, currentClock: string, incoming: unknown, incomingClock: string): boolean {
  if (table === 'sales_bookings' && field === 'status') {
    if (current === 'cancelled' && incoming !== 'cancelled') return false;
    if (incoming === 'cancelled' && current !== 'cancelled') return true;
  }
  if (table === 'sales_leads' && field === 'reached_rank') return Number(incoming) > Number(current ?? -1);
  return incomingClock > currentClock;
}

/** A field's clock: its own, else the row's insert clock. */
export const clockOf = (clocks: Record<string, string>, field: string) => clocks[field] ?? clocks['*'] ?? '';
