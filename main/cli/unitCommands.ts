import { createUnits, listUnits, projectTowers } from '../services/units.js';
import { bookingIdOf, cancelBooking } from '../services/cancellations.js';
import { unitStatuses } from '../../db/schema/enums.js';
import { dropUndefined, formatAmount, numberOf, str, tenantOf, type Command } from './options.js';

// Units and bookings: adding a tower of units, listing them, cancelling a booking.

export const unitCommands: Record<string, Command> = {
  'units add': {
    usage: `milepost units add --tenant ID --project P --type TYPE --floor-from N --floor-to N --per-floor N [--tower T] [--numbering PATTERN] [--price AMOUNT] [--area SQFT]
  Makes a tower's units in one go: floors × units per floor, numbered by PATTERN ({floor}{unit:02} by default:
  floors 1–20 with 8 per floor → 101 … 2008). Project and type must be in the unit inventory; a number taken refuses them all.`,
    options: { tenant: str, project: str, type: str, tower: str, 'floor-from': str, 'floor-to': str, 'per-floor': str, numbering: str, price: str, area: str },
    required: ['tenant', 'project', 'type', 'floor-from', 'floor-to', 'per-floor'],
    fields: {
      project_name: '--project', unit_type: '--type', tower: '--tower', floor_from: '--floor-from', floor_to: '--floor-to',
      units_per_floor: '--per-floor', numbering: '--numbering', list_price: '--price', carpet_area_sqft: '--area', unit_number: 'a unit number',
    },
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const towers = v.tower === undefined ? projectTowers(ctx, String(v.project)) : [];
      const r = createUnits(ctx, dropUndefined({
        project_name: v.project, tower: v.tower, unit_type: v.type, numbering: v.numbering,
        floor_from: numberOf(v['floor-from']), floor_to: numberOf(v['floor-to']), units_per_floor: numberOf(v['per-floor']),
        list_price: numberOf(v.price), carpet_area_sqft: numberOf(v.area),
      }));
      const first = r.units[0]!;
      const added = `added ${r.created} unit${r.created === 1 ? "" : "s"} to ${first.project_name}${first.tower ? ` ${first.tower}` : ''} (${first.unit_type}): ${first.unit_number} … ${r.units.at(-1)!.unit_number}`;
      // Units without a tower in a project built in towers are more often a forgotten --tower than meant.
      return towers.length ? `${added}\nnote: no --tower given, so these units are in no tower; ${first.project_name}'s other units are in ${towers.join(', ')}` : added;
    },
  },
  'booking cancel': {
    usage: `milepost booking cancel --tenant ID --booking ID|CODE --reason TEXT [--forfeiture AMOUNT] [--refund AMOUNT] [--date YYYY-MM-DD]
  Cancels a booking by SPEC §10's money rule: a credit note of the booking amount less the forfeiture, and a refund
  entry for what is paid back now (at most what was received on the booking less the forfeiture). Prints the
  balance the customer is left with on the booking.`,
    options: { tenant: str, booking: str, reason: str, forfeiture: str, refund: str, date: str },
    required: ['tenant', 'booking', 'reason'],
    fields: { forfeiture_amount: '--forfeiture', refund_amount: '--refund', cancellation_date: '--date', cancellation_reason: '--reason' },
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const id = bookingIdOf(ctx, String(v.booking));
      const r = cancelBooking(ctx, id, dropUndefined({
        cancellation_reason: v.reason, cancellation_date: v.date, forfeiture_amount: numberOf(v.forfeiture), refund_amount: numberOf(v.refund),
      }));
      const entries = r.ledger_entries.map((e) => `${e.transaction_type} ${e.ledger_code} ${formatAmount(e.debit_amount || e.credit_amount)}`).join(', ');
      const left = r.balance_after === 0 ? 'nothing is owed on it' : r.balance_after < 0 ? `${formatAmount(-r.balance_after)} is still to be paid back` : `${formatAmount(r.balance_after)} is still owed`;
      return `cancelled ${r.booking.booking_code}${entries ? `: ${entries}` : ''}; ${left}`;
    },
  },
  'units list': {
    usage: `milepost units list --tenant ID [--project P] [--tower T] [--type TYPE] [--status ${unitStatuses.join('|')}]`,
    options: { tenant: str, project: str, tower: str, type: str, status: str },
    required: ['tenant'],
    run: (m, v) => {
      const ctx = m.context(tenantOf(v), null);
      const lines: string[] = [];
      let offset: number | null = 0;
      while (offset !== null) {
        const page: ReturnType<typeof listUnits.parsed> = listUnits(ctx, dropUndefined({ project_name: v.project, tower: v.tower, unit_type: v.type, status: v.status, limit: 500, offset }));
        for (const u of page.items) lines.push([u.id, u.project_name, u.tower || '-', u.floor, u.unit_number, u.unit_type, u.status, u.list_price ?? ''].join('\t'));
        offset = page.next_offset;
      }
      return lines.length ? ['id\tproject\ttower\tfloor\tunit\ttype\tstatus\tlist_price', ...lines].join('\n') : 'no units';
    },
  },
};
