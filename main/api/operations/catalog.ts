import { listInventory } from '../../services/bookings.js';
import { campaignService, leadSourceService, unitInventoryService } from '../../services/catalog.js';
import { projectSites, setProjectSite } from '../../services/sites.js';
import { managers } from '../rules.js';
import { get, put } from '../operation.js';
import { createRecord, listRecords, reads, readsPlain, runs, updateRecord } from './shapes.js';

// The catalog records (SPEC §3): lead sources, campaigns, the unit inventory and each
// project's site.

export const catalogOperations = {
  'leadSources.create': createRecord(leadSourceService, 'lead-sources', managers),
  'leadSources.list': listRecords(leadSourceService, 'lead-sources'),
  'campaigns.create': createRecord(campaignService, 'campaigns', managers),
  'campaigns.list': listRecords(campaignService, 'campaigns'),
  'campaigns.update': updateRecord(campaignService, 'campaigns', managers),
  'inventory.create': createRecord(unitInventoryService, 'unit-inventory', managers),
  'inventory.list': reads(listInventory, get('unit-inventory')),
  'inventory.setSite': runs(setProjectSite, put('unit-inventory/site'), { who: managers }),
  'sites.list': readsPlain((s) => projectSites(s.ctx), get('sites')),
};
