import { z } from 'zod';
import { bookingSchedule, completeStage, createPlan, createStage, getPlan, listPlans, listStages, previewSchedule } from '../../services/paymentPlans.js';
import { bookingService } from '../../services/bookings.js';
import { cancelBooking, cancelPreview } from '../../services/cancellations.js';
import { createUnit, createUnits, getUnit, listUnits, updateUnit } from '../../services/units.js';
import { holdsEndingSoon, holdUnit, releaseHold, releaseInput } from '../../services/holds.js';
import { everyone, managers, ownLead } from '../rules.js';
import { bookingByCode, get, operation, patch, post } from '../operation.js';
import { createRecord, listRecords, reads, readsOne, runs, runsOn, updateRecord, withId } from './shapes.js';

// Bookings and what they are made of (SPEC §3, §10): bookings and their cancellation,
// units and holds, payment plans, construction stages and a booking's schedule. A
// booking is named by its id or its code (BKG-…).

const booking = { byCode: bookingByCode('id') };

export const bookingOperations = {
  // A booking recorded without the book-a-unit workflow is a back-office record.
  'bookings.create': createRecord(bookingService, 'bookings', managers),
  'bookings.list': listRecords(bookingService, 'bookings'),
  'bookings.update': updateRecord(bookingService, 'bookings', managers, booking),
  'bookings.cancel': runsOn(cancelBooking, post('bookings/:id/cancel'), { who: managers, ...booking }),
  'bookings.cancelPreview': runsOn(cancelPreview, get('bookings/:id/cancel-preview'), { who: everyone, reads: true, ...booking }),
  'bookings.schedule': runsOn(bookingSchedule, get('bookings/:id/schedule'), { who: everyone, reads: true, ...booking }),
  'units.create': runs(createUnit, post('units'), { creates: true, who: managers }),
  'units.createMany': runs(createUnits, post('units/bulk'), { creates: true, who: managers }),
  'units.list': reads(listUnits, get('units')),
  'units.get': readsOne(getUnit, get('units/:id')),
  'units.update': runsOn(updateUnit, patch('units/:id'), { who: managers }),
  'units.hold': runsOn(holdUnit, post('units/:id/hold'), { creates: true, who: { who: 'everyone', rep: ownLead('leads', 'lead_id') } }),
  'units.release': operation({
    input: withId(releaseInput),
    who: { who: 'everyone', rep: ownLead('unit_holds', 'id') },
    run: (s, { id }) => releaseHold(s.ctx, id),
    routes: [post('units/:id/release')],
  }),
  'units.holdsEnding': operation({
    input: z.strictObject({ held_by: z.string().max(64).optional(), hours: z.number().int().min(1).max(720).optional() }),
    who: everyone,
    reads: true,
    run: (s, input) => holdsEndingSoon(s.ctx, input.held_by ?? null, input.hours ?? 24),
    routes: [get('units/holds-ending')],
  }),
  'plans.create': runs(createPlan, post('payment-plans'), { creates: true, who: managers }),
  'plans.list': reads(listPlans, get('payment-plans')),
  'plans.get': readsOne(getPlan, get('payment-plans/:id')),
  'plans.preview': reads(previewSchedule, get('payment-plans/:plan_id/preview')),
  'stages.create': runs(createStage, post('construction-stages'), { creates: true, who: managers }),
  'stages.list': reads(listStages, get('construction-stages')),
  'stages.complete': runsOn(completeStage, patch('construction-stages/:id'), { who: managers }),
};
