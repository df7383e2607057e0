// SPEC §10 receivables: which instalments a customer's receipts have paid. Amounts in
// minor units. Pure, so the same rule serves a cancellation's "received on the
// booking", a booking's schedule, the aging report and the statement.

export interface Instalment {
  id: string;
  booking_id: string;
  /** Null while its stage is not complete: it is paid after every dated one. */
  due_date: string | null;
  booking_date: string;
  seq: number;
  amount: number;
}

export interface Receipt {
  /** Payments positive, refunds negative (SPEC: net receipts are payments − refunds). */
  amount: number;
  /** The booking a payment references, when it does: it pays that booking first. */
  booking_id: string | null;
}

export interface Allocation {
  /** Paid on each instalment, by id (every instalment listed, 0 when unpaid). */
  paid: Map<string, number>;
  /** Receipts beyond every instalment: money held for the customer. */
  advance: number;
  /** Refunds beyond the receipts: money paid back that no receipt covers (a negative balance). */
  overdrawn: number;
}

/** The order receipts pay in: due date (undated last), then booking date, then booking, then seq. */
export function paymentOrder(a: Instalment, b: Instalment): number {
  const da = a.due_date ?? '9999-12-31';
  const db = b.due_date ?? '9999-12-31';
  if (da !== db) return da < db ? -1 : 1;
  if (a.booking_date !== b.booking_date) return a.booking_date < b.booking_date ? -1 : 1;
  if (a.booking_id !== b.booking_id) return a.booking_id < b.booking_id ? -1 : 1;
  return a.seq - b.seq;
}

/**
 * Receipts referencing a booking pay that booking's instalments first (in payment
 * order); what they leave, and every other receipt net of refunds, pays all
 * instalments in payment order. What is left over is an advance.
 */
export function allocate(instalments: readonly Instalment[], receipts: readonly Receipt[]): Allocation {
  const ordered = [...instalments].sort(paymentOrder);
  const paid = new Map(ordered.map((i) => [i.id, 0]));
  const owing = (i: Instalment) => i.amount - paid.get(i.id)!;
  const pay = (list: Instalment[], money: number) => {
    for (const i of list) {
      if (money <= 0) break;
      const part = Math.min(money, owing(i));
      if (part > 0) {
        paid.set(i.id, paid.get(i.id)! + part);
        money -= part;
      }
    }
    return money;
  };
  let pool = 0;
  const ofBooking = new Map<string, Instalment[]>();
  for (const i of ordered) {
    const list = ofBooking.get(i.booking_id);
    if (list) list.push(i);
    else ofBooking.set(i.booking_id, [i]);
  }
  const referenced = new Map<string, number>();
  for (const r of receipts) {
    if (r.amount > 0 && r.booking_id !== null && ofBooking.has(r.booking_id)) {
      referenced.set(r.booking_id, (referenced.get(r.booking_id) ?? 0) + r.amount);
    } else {
      pool += r.amount;
    }
  }
  for (const [booking, money] of referenced) pool += pay(ofBooking.get(booking)!, money);
  if (pool < 0) {
    // Refunds beyond the unreferenced receipts come back out of what was paid, latest first.
    let back = -pool;
    for (const i of [...ordered].reverse()) {
      const part = Math.min(back, paid.get(i.id)!);
      paid.set(i.id, paid.get(i.id)! - part);
      back -= part;
    }
    return { paid, advance: 0, overdrawn: back };
  }
  return { paid, advance: pay(ordered, pool), overdrawn: 0 };
}
