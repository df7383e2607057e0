import { completeStageInput, planInput, planListInput, previewInput, scheduleInput, stageInput, stageListInput, bookingSchedule, completeStage, createPlan, createStage, getPlan, listPlans, listStages, previewSchedule } from '../../services/paymentPlans.js';
import { z } from 'zod';
import { bookingService } from '../../services/bookings.js';
import { cancelInput, cancelPreviewInput, cancelBooking, cancelPreview } from '../../services/cancellations.js';
import { bulkUnitsInput, unitInput, unitListInput, unitPatchInput, createUnit, createUnits, getUnit, listUnits, updateUnit } from '../../services/units.js';
import { holdInput, releaseInput, holdsEndingSoon, holdUnit, releaseHold } from '../../services/holds.js';
import { everyone, managers, ownLead } from '../rules.js';
import { get, operation, patch, post } from '../operation.js';
import { byId, withId, createRecord, listRecords, updateRecord } from './shapes.js';

// Bookings and what they are made of (SPEC §3, §10): bookings and their cancellation,
// units and holds, payment plans, construction stages and a booking's schedule.

export const bookingOperations = {
  // A booking recorded without the book-a-unit workflow is a back-office record.
  'bookings.create': createRecord(bookingService, 'bookings', managers),
  'bookings.list': listRecords(bookingService, 'bookings'),
  'bookings.update': updateRecord(bookingService, 'bookings', managers),
  'bookings.cancel': operation({ input: withId(cancelInput), who: managers, run: (s, { id, ...body }) => cancelBooking.parsed(s.ctx, id, body), routes: [post('bookings/:id/cancel')] }),
  'bookings.cancelPreview': operation({
    input: withId(cancelPreviewInput),
    who: everyone,
    reads: true,
    run: (s, { id, ...query }) => cancelPreview.parsed(s.ctx, id, query),
    routes: [get('bookings/:id/cancel-preview')],
  }),
  'units.create': operation({ input: unitInput, creates: true, who: managers, run: (s, input) => createUnit.parsed(s.ctx, input), routes: [post('units')] }),
  'units.createMany': operation({ input: bulkUnitsInput, creates: true, who: managers, run: (s, input) => createUnits.parsed(s.ctx, input), routes: [post('units/bulk')] }),
  'units.list': operation({ input: unitListInput, who: everyone, reads: true, run: (s, input) => listUnits.parsed(s.ctx, input), routes: [get('units')] }),
  'units.get': operation({ input: byId, who: everyone, reads: true, run: (s, { id }) => getUnit(s.ctx, id), routes: [get('units/:id')] }),
  'units.update': operation({ input: withId(unitPatchInput), who: managers, run: (s, { id, ...body }) => updateUnit.parsed(s.ctx, id, body), routes: [patch('units/:id')] }),
  'units.hold': operation({
    input: withId(holdInput),
    creates: true,
    who: { who: 'everyone', rep: ownLead('leads', 'lead_id') },
    run: (s, { id, ...body }) => holdUnit.parsed(s.ctx, id, body),
    routes: [post('units/:id/hold')],
  }),
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
  'plans.create': operation({ input: planInput, creates: true, who: managers, run: (s, input) => createPlan.parsed(s.ctx, input), routes: [post('payment-plans')] }),
  'plans.list': operation({ input: planListInput, who: everyone, reads: true, run: (s, input) => listPlans.parsed(s.ctx, input), routes: [get('payment-plans')] }),
  'plans.get': operation({ input: byId, who: everyone, reads: true, run: (s, { id }) => getPlan(s.ctx, id), routes: [get('payment-plans/:id')] }),
  'plans.preview': operation({
    input: previewInput,
    who: everyone,
    reads: true,
    run: (s, input) => previewSchedule.parsed(s.ctx, input),
    routes: [get('payment-plans/:plan_id/preview')],
  }),
  'stages.create': operation({ input: stageInput, creates: true, who: managers, run: (s, input) => createStage.parsed(s.ctx, input), routes: [post('construction-stages')] }),
  'stages.list': operation({ input: stageListInput, who: everyone, reads: true, run: (s, input) => listStages.parsed(s.ctx, input), routes: [get('construction-stages')] }),
  'stages.complete': operation({
    input: withId(completeStageInput),
    who: managers,
    run: (s, { id, ...body }) => completeStage.parsed(s.ctx, id, body),
    routes: [patch('construction-stages/:id')],
  }),
  'bookings.schedule': operation({
    input: withId(scheduleInput),
    who: everyone,
    reads: true,
    run: (s, { id, ...query }) => bookingSchedule.parsed(s.ctx, id, query),
    routes: [get('bookings/:id/schedule')],
  }),
};
