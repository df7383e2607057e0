import { z } from 'zod';
import { listInventory } from '../../services/bookings.js';
import { campaignService, leadSourceService, unitInventoryService } from '../../services/catalog.js';
import { projectSiteInput, projectSites, setProjectSite } from '../../services/sites.js';
import { everyone, managers } from '../rules.js';
import { get, operation, patch, post, put } from '../operation.js';
import { withId } from './shapes.js';

// The catalog records (SPEC §3): lead sources, campaigns, the unit inventory and each
// project's site.

export const catalogOperations = {
  'leadSources.create': operation({
    input: leadSourceService.inputs.create,
    creates: true,
    who: managers,
    run: (s, input) => leadSourceService.create(s.ctx, input),
    routes: [post('lead-sources')],
  }),
  'leadSources.list': operation({
    input: leadSourceService.inputs.list,
    who: everyone,
    reads: true,
    run: (s, input) => leadSourceService.list(s.ctx, input),
    routes: [get('lead-sources')],
  }),
  'campaigns.create': operation({
    input: campaignService.inputs.create,
    creates: true,
    who: managers,
    run: (s, input) => campaignService.create(s.ctx, input),
    routes: [post('campaigns')],
  }),
  'campaigns.list': operation({
    input: campaignService.inputs.list,
    who: everyone,
    reads: true,
    run: (s, input) => campaignService.list(s.ctx, input),
    routes: [get('campaigns')],
  }),
  'campaigns.update': operation({
    input: withId(campaignService.inputs.update),
    who: managers,
    run: (s, { id, ...patch }) => campaignService.update(s.ctx, id, patch),
    routes: [patch('campaigns/:id')],
  }),
  'inventory.create': operation({
    input: unitInventoryService.inputs.create,
    creates: true,
    who: managers,
    run: (s, input) => unitInventoryService.create(s.ctx, input),
    routes: [post('unit-inventory')],
  }),
  'inventory.list': operation({
    input: unitInventoryService.inputs.list,
    who: everyone,
    reads: true,
    run: (s, input) => listInventory(s.ctx, input),
    routes: [get('unit-inventory')],
  }),
  'inventory.setSite': operation({
    input: projectSiteInput,
    who: managers,
    run: (s, input) => setProjectSite(s.ctx, input),
    routes: [put('unit-inventory/site')],
  }),
  'sites.list': operation({
    input: z.strictObject({}),
    who: everyone,
    reads: true,
    run: (s) => projectSites(s.ctx),
    routes: [get('sites')],
  }),
};
