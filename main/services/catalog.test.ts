import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignService, leadSourceService, unitInventoryService } from './catalog.js';
import { makeTenant, refusal } from '../../test/tenantFixture.js';

// Lead sources, campaigns and unit inventory (SPEC §3): plain records with a rule or two.

let t: ReturnType<typeof makeTenant>;
beforeAll(() => (t = makeTenant()));
afterAll(() => t.close());

describe('catalog records', () => {
  it('keeps a campaign\'s budget to the paisa, its code unique, and its end on or after its start', () => {
    const c = campaignService.create(t.ctx, { campaign_code: 'DIWALI-25', campaign_name: 'Diwali', campaign_type: 'digital', budget: 250000.75, start_date: '2025-10-01', end_date: '2025-11-15' });
    expect(c).toMatchObject({ budget: 250000.75, status: expect.any(String) });
    expect(t.ctx.db.prepare('SELECT budget FROM sales_campaigns WHERE id = ?').pluck().get(c.id)).toBe(25000075);
    expect(refusal(() => campaignService.create(t.ctx, { campaign_code: 'DIWALI-25', campaign_name: 'Again', campaign_type: 'email' })).details[0]).toMatchObject({ field: 'campaign_code' });
    expect(refusal(() => campaignService.update(t.ctx, c.id, { end_date: '2025-09-30' })).details).toEqual([{ field: 'end_date', message: 'must be on or after start_date' }]);
    expect(campaignService.update(t.ctx, c.id, { budget: 0.1 })).toMatchObject({ budget: 0.1 });
  });

  it('lists sources by type and finds them by name', () => {
    leadSourceService.create(t.ctx, { source_name: 'Website', source_type: 'website' });
    leadSourceService.create(t.ctx, { source_name: 'Expo 2026', source_type: 'event', channel: 'walk-in' });
    expect(leadSourceService.list(t.ctx, { source_type: 'event' }).items.map((s) => s.source_name)).toEqual(['Expo 2026']);
    expect(leadSourceService.list(t.ctx, { search: 'walk' }).items.map((s) => s.source_name)).toEqual(['Expo 2026']);
    expect(refusal(() => leadSourceService.create(t.ctx, { source_name: 'Fair', source_type: 'billboard' })).details[0]).toMatchObject({ field: 'source_type' });
  });

  it('keeps one inventory row per project and unit type whatever their case, names tidied', () => {
    const row = unitInventoryService.create(t.ctx, { project_name: '  Green  Meadows ', unit_type: 'Villa', total_units: 12 });
    expect(row).toMatchObject({ project_name: 'Green Meadows', unit_type: 'Villa', total_units: 12 });
    const again = refusal(() => unitInventoryService.create(t.ctx, { project_name: 'green meadows', unit_type: 'villa', total_units: 3 }));
    expect([again.code, again.details[0]?.field]).toEqual(['conflict', 'unit_type']);
    expect(unitInventoryService.create(t.ctx, { project_name: 'Lakeview', unit_type: 'villa', total_units: 3 })).toMatchObject({ unit_type: 'villa' });
  });
});
