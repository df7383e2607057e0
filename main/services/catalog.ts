import { checkSiteFields, siteFields } from './sites.js';
import { asc } from 'drizzle-orm';
import { z } from 'zod';
import { campaigns, leadSources, unitInventory } from '../../db/schema/index.js';
import { campaignStatuses, campaignTypes, sourceTypes } from '../../db/schema/enums.js';
import { conflict, validationError } from '../domain/errors.js';
import { findInventory } from './units.js';
import { tidyName } from '../../db/values/names.js';
import { code, count, enumOf, flag, localDate, longText, money, newRecordId, requiredText, text } from '../domain/validation.js';
import { entityService, recordInputs } from './entityService.js';

// The plain records of SPEC §3 that need no workflow of their own: lead sources,
// campaigns and unit inventory.

const sourceFields = {
  source_name: requiredText(),
  source_type: enumOf(sourceTypes),
  subsource_name: text().nullish(),
  channel: text().nullish(),
  is_active: flag().optional(),
};

export const leadSourceService = entityService({
  table: leadSources,
  entity: 'lead source',
  ...recordInputs(sourceFields),
  filters: { source_type: leadSources.source_type },
  searchColumns: [leadSources.source_name, leadSources.subsource_name, leadSources.channel],
  orderBy: [asc(leadSources.source_name)],
});

const campaignFields = {
  campaign_code: code(),
  campaign_name: requiredText(),
  campaign_type: enumOf(campaignTypes),
  start_date: localDate().nullish(),
  end_date: localDate().nullish(),
  budget: money().optional(),
  expected_roi: z.number({ error: 'must be a number (percent)' }).min(-100).max(1_000_000).nullish(),
  assigned_to: text().nullish(),
  status: enumOf(campaignStatuses).optional(),
  description: longText().nullish(),
};

export const campaignService = entityService({
  table: campaigns,
  entity: 'campaign',
  ...recordInputs(campaignFields),
  moneyFields: ['budget'],
  uniqueFields: ['campaign_code'],
  filters: { status: campaigns.status, campaign_type: campaigns.campaign_type, assigned_to: campaigns.assigned_to },
  searchColumns: [campaigns.campaign_code, campaigns.campaign_name],
  orderBy: [asc(campaigns.start_date), asc(campaigns.campaign_code)],
  check: (_ctx, campaign) => {
    if (campaign.start_date && campaign.end_date && (campaign.end_date as string) < (campaign.start_date as string)) {
      throw validationError('end_date', 'must be on or after start_date');
    }
  },
});

const inventoryFields = {
  project_name: text().optional(),
  unit_type: requiredText(100),
  total_units: count(0),
  ...siteFields,
};

export const unitInventoryService = entityService({
  table: unitInventory,
  entity: 'unit inventory',
  createInput: z.strictObject({ id: newRecordId().optional(), ...inventoryFields }),
  updateInput: z.strictObject({ total_units: count(0) }),
  filters: { project_name: unitInventory.project_name, unit_type: unitInventory.unit_type },
  orderBy: [asc(unitInventory.project_name), asc(unitInventory.unit_type)],
  prepare: (_ctx, values) => {
    checkSiteFields(values);
    // Stored tidied, and one row per project and type whatever the case (SPEC §3).
    return { ...values, project_name: tidyName((values.project_name as string | undefined) ?? ''), unit_type: tidyName(values.unit_type as string) };
  },
  check: (ctx, values) => {
    if (typeof values.unit_type !== 'string') return;
    const same = findInventory(ctx, values.project_name as string | undefined, values.unit_type);
    if (same && same.id !== values.id) throw conflict(`${same.project_name ? `${same.project_name} ` : ''}already has the unit type '${same.unit_type}'`, 'unit_type');
  },
});
