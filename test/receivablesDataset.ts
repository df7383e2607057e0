import { bookingService } from '../main/services/bookings.js';
import { customerService } from '../main/services/customers.js';
import { createLedgerEntry } from '../main/services/ledger.js';
import { createPlan } from '../main/services/paymentPlans.js';
import { makeTenant } from './tenantFixture.js';

/**
 * As of 31 December 2025:
 * Asha: 10,00,000 booked 1 June on 10 % at once, 40 % 30 days on (1 July), 50 % 180 days on
 *   (28 November); received 1,00,000 on 1 June and 2,50,000 on 20 July. The July instalment is
 *   1,50,000 short, 183 days late; November's 5,00,000 unpaid, 33 days late.
 * Bala: 5,00,000 booked 1 December (no plan: due that day) and 2,00,000 on 20 December due
 *   30 days on (19 January); received 6,00,000 on 5 December: December is paid, 1,00,000 is
 *   an advance, which pays half of January's instalment ahead of time.
 */
export function receivablesDataset() {
  const t = makeTenant({ now: '2025-12-31T10:00:00.000Z' });
  const staged = createPlan(t.ctx, { plan_code: 'P1', plan_name: '10/40/50', instalments: [
    { label: 'Booking', percent: 10, due: 'on_booking' }, { label: 'Agreement', percent: 40, due: { after_days: 30 } }, { label: 'Possession', percent: 50, due: { after_days: 180 } },
  ] });
  const later = createPlan(t.ctx, { plan_code: 'P2', plan_name: '30 days', instalments: [{ label: 'In 30 days', percent: 100, due: { after_days: 30 } }] });
  customerService.create(t.ctx, { id: 'K1', customer_code: 'K1', name: 'Asha', phone: '+919845011111' });
  customerService.create(t.ctx, { id: 'K2', customer_code: 'K2', name: 'Bala' });
  bookingService.create(t.ctx, { customer_id: 'K1', booking_date: '2025-06-01', booking_amount: 1000000, project_name: 'Green Meadows', payment_plan_id: staged.id });
  bookingService.create(t.ctx, { customer_id: 'K2', booking_date: '2025-12-01', booking_amount: 500000, project_name: 'Lakeview' });
  bookingService.create(t.ctx, { customer_id: 'K2', booking_date: '2025-12-20', booking_amount: 200000, project_name: 'Green Meadows', payment_plan_id: later.id });
  const pay = (customer_id: string, transaction_date: string, credit_amount: number) => createLedgerEntry(t.ctx, { customer_id, transaction_date, transaction_type: 'payment', credit_amount });
  pay('K1', '2025-06-01', 100000);
  pay('K1', '2025-07-20', 250000);
  pay('K2', '2025-12-05', 600000);
  return t;
}
