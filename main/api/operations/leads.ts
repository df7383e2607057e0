import { z } from 'zod';
import { bookUnitInput, bookUnit } from '../../services/bookings.js';
import { leadService, staleLeadsInput, staleSettingInput, leadStatusHistoryOf, leadStages, listStaleLeads, setStaleAfter, staleSettings } from '../../services/leads.js';
import { holdsOfLead } from '../../services/holds.js';
import { importInput } from '../../services/import/fields.js';
import { importStatusInput, importStatus, startImport } from '../../services/import/jobs.js';
import { localDate, recordId } from '../../domain/validation.js';
import { previewImport } from '../../services/import/run.js';
import { admins, everyone, managers, ownLead, refuse, visibleCustomer } from '../rules.js';
import { get, leadByCode, operation, patch, post, put } from '../operation.js';
import { byId, withId, getRecord, listRecords, removeRecord } from './shapes.js';

// Leads (SPEC §3–4): the list and one lead, its status by hand, its history, stages and
// holds, stale leads and their thresholds, booking a unit for it, and the lead import.

export const leadOperations = {
  'leads.create': operation({
    input: leadService.inputs.create,
    creates: true,
    who: {
      who: 'everyone',
      // A rep's new lead is theirs: assigning it to someone else is a manager's.
      rep: (s, input) => {
        const to = input.assigned_to;
        if (to !== undefined && to !== null && String(to).toLowerCase() !== s.user.username.toLowerCase()) {
          throw refuse('a sales rep may create leads only for themselves', 'assigned_to', `must be ${s.user.username} or left out`);
        }
        return visibleCustomer('customer_id')(s, { ...input, assigned_to: s.user.username });
      },
    },
    run: (s, input) => leadService.create.parsed(s.ctx, input),
    routes: [post('leads')],
  }),
  'leads.list': listRecords(leadService, 'leads'),
  'leads.get': getRecord(leadService, 'leads', { byCode: leadByCode('id') }),
  'leads.update': operation({
    input: withId(leadService.inputs.update),
    who: {
      who: 'everyone',
      rep: (s, input) => {
        ownLead('leads', 'id')(s, input);
        const to = input.assigned_to;
        if (to !== undefined && (to === null || String(to).toLowerCase() !== s.user.username.toLowerCase())) {
          throw refuse('a sales rep may not reassign leads', 'assigned_to', 'must be changed by a manager or admin');
        }
        return visibleCustomer('customer_id')(s, input);
      },
    },
    byCode: leadByCode('id'),
    run: (s, { id, ...patch }) => leadService.update.parsed(s.ctx, id, patch),
    routes: [patch('leads/:id')],
  }),
  'leads.delete': removeRecord(leadService, 'leads', managers, { byCode: leadByCode('id') }),
  'leads.history': operation({
    input: byId,
    who: everyone,
    reads: true,
    byCode: leadByCode('id'),
    run: (s, { id }) => leadStatusHistoryOf(s.ctx, id),
    routes: [get('leads/:id/status-history')],
  }),
  'leads.holds': operation({ input: byId, who: everyone, reads: true, byCode: leadByCode('id'), run: (s, { id }) => holdsOfLead(s.ctx, id), routes: [get('leads/:id/holds')] }),
  'leads.stages': operation({
    input: z.strictObject({ id: recordId(), as_of: localDate().optional() }),
    who: everyone,
    reads: true,
    byCode: leadByCode('id'),
    run: (s, input) => leadStages(s.ctx, input),
    routes: [get('leads/:id/stages')],
  }),
  'leads.stale': operation({ input: staleLeadsInput, who: everyone, reads: true, run: (s, input) => listStaleLeads.parsed(s.ctx, input), routes: [get('leads/stale')] }),
  'staleSettings.get': operation({ input: z.strictObject({}), who: everyone, reads: true, run: (s) => staleSettings(s.ctx), routes: [get('stage-settings')] }),
  'staleSettings.set': operation({
    input: staleSettingInput,
    who: admins,
    said: 'change the stage settings',
    run: (s, input) => setStaleAfter.parsed(s.ctx, input),
    routes: [put('stage-settings')],
  }),
  'leads.book': operation({
    input: withId(bookUnitInput),
    creates: true,
    who: { who: 'everyone', rep: (s, input) => visibleCustomer('customer_id')(s, ownLead('leads', 'id')(s, input)) },
    byCode: leadByCode('id'),
    run: (s, { id, ...body }) => bookUnit.parsed(s.ctx, id, body),
    routes: [post('leads/:id/book')],
  }),
  'imports.preview': operation({
    input: importInput,
    largeInput: true,
    who: managers,
    said: 'import leads',
    run: (s, input) => previewImport.parsed(s.ctx, input),
    routes: [post('imports/leads/preview')],
  }),
  'imports.start': operation({
    input: importInput,
    creates: true,
    largeInput: true,
    who: managers,
    said: 'import leads',
    run: (s, input) => startImport.parsed(s.ctx, input),
    routes: [post('imports/leads')],
  }),
  'imports.status': operation({ input: importStatusInput, who: managers, said: 'follow imports', run: (s, input) => importStatus.parsed(s.ctx, input), routes: [get('imports/:job_id')] }),
};
