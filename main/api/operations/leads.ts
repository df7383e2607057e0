import { bookUnit } from '../../services/bookings.js';
import { leadService, leadStatusHistoryOf, leadStages, listStaleLeads, setStaleAfter, staleSettings } from '../../services/leads.js';
import { holdsOfLead } from '../../services/holds.js';
import { importStatus, startImport } from '../../services/import/jobs.js';
import { previewImport } from '../../services/import/run.js';
import { admins, managers, ownLead, refuse, visibleCustomer } from '../rules.js';
import { get, leadByCode, patch, post, put } from '../operation.js';
import { getRecord, listRecords, reads, readsOne, readsPlain, removeRecord, runs, runsOn } from './shapes.js';

// Leads (SPEC §3–4): the list and one lead, its status by hand, its history, stages and
// holds, stale leads and their thresholds, booking a unit for it, and the lead import.

export const leadOperations = {
  'leads.create': runs(leadService.create, post('leads'), {
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
  }),
  'leads.list': listRecords(leadService, 'leads'),
  'leads.get': getRecord(leadService, 'leads', { byCode: leadByCode('id') }),
  'leads.update': runsOn(leadService.update, patch('leads/:id'), {
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
  }),
  'leads.delete': removeRecord(leadService, 'leads', managers, { byCode: leadByCode('id') }),
  'leads.history': readsOne(leadStatusHistoryOf, get('leads/:id/status-history'), { byCode: leadByCode('id') }),
  'leads.holds': readsOne(holdsOfLead, get('leads/:id/holds'), { byCode: leadByCode('id') }),
  'leads.stages': reads(leadStages, get('leads/:id/stages'), { byCode: leadByCode('id') }),
  'leads.stale': reads(listStaleLeads, get('leads/stale')),
  'staleSettings.get': readsPlain((s) => staleSettings(s.ctx), get('stage-settings')),
  'staleSettings.set': runs(setStaleAfter, put('stage-settings'), { who: admins, said: 'change the stage settings' }),
  'leads.book': runsOn(bookUnit, post('leads/:id/book'), {
    creates: true,
    who: { who: 'everyone', rep: (s, input) => visibleCustomer('customer_id')(s, ownLead('leads', 'id')(s, input)) },
    byCode: leadByCode('id'),
  }),
  'imports.preview': runs(previewImport, post('imports/leads/preview'), { largeInput: true, who: managers, said: 'import leads' }),
  'imports.start': runs(startImport, post('imports/leads'), { creates: true, largeInput: true, who: managers, said: 'import leads' }),
  'imports.status': runs(importStatus, get('imports/:job_id'), { who: managers, said: 'follow imports' }),
};
