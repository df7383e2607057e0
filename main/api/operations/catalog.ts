import { z } from 'zod';
import { listInventory } from '../../services/bookings.js';
import { campaignService, leadSourceService, unitInventoryService } from '../../services/catalog.js';
import { projectSiteInput, projectSites, setProjectSite } from '../../services/sites.js';
import { everyone, managers } from '../rules.js';
import { get, operation, put } from '../operation.js';
import { createRecord, listRecords, updateRecord } from './shapes.js';

// The catalog records (SPEC §3): lead sources, campaigns, the unit inventory and each
// project's site.

export const catalogOperations = {
  'leadSources.create': createRecord(leadSourceService, 'lead-sources', managers),
  'leadSources.list': listRecords(leadSourceService, 'lead-sources'),
  'campaigns.create': createRecord(campaignService, 'campaigns', managers),
  'campaigns.list': listRecords(campaignService, 'campaigns'),
  'campaigns.update': updateRecord(campaignService, 'campaigns', managers),
  'inventory.create': createRecord(unitInventoryService, 'unit-inventory', managers),
  'inventory.list': operation({
    input: unitInventoryService.inputs.list,
    who: everyone,
    reads: true,
    run: (s, input) => listInventory.parsed(s.ctx, input),
    routes: [get('unit-inventory')],
  }),
  'inventory.setSite': operation({ input: projectSiteInput, who: managers, run: (s, input) => setProjectSite.parsed(s.ctx, input), routes: [put('unit-inventory/site')] }),
  'sites.list': operation({ input: z.strictObject({}), who: everyone, reads: true, run: (s) => projectSites(s.ctx), routes: [get('sites')] }),
};
