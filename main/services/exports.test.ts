import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, refusal, snapshot, tempDir } from '../../test/tenantFixture.js';
import { campaignService, leadSourceService } from './catalog.js';
import { exportCsv, exportTable, originOf, writeExport } from './exports.js';
import { leadService } from './leads.js';

// Exports a manager trusts: the details line or side file (export, filters,
// time zone, generation time) and the delimiter that follows the tenant's locale.

const BOM = '\uFEFF';

function seed(ctx: ReturnType<typeof makeTenant>['ctx']) {
  leadSourceService.create(ctx, { id: 'src-web', source_name: 'Website', source_type: 'website' });
  campaignService.create(ctx, { id: 'cmp-1', campaign_code: 'FEST-25', campaign_name: 'Festive; Pune', campaign_type: 'digital', budget: 1234.5, expected_roi: 12.5 });
  leadService.create(ctx, { id: 'L1', name: 'Anna Schmidt', campaign_id: 'cmp-1', lead_date: '2025-10-02' });
  leadService.create(ctx, { id: 'L2', name: 'Jonas Weber', campaign_id: 'cmp-1', lead_date: '2025-10-20' });
}

describe('a tenant whose locale writes decimals with a comma (de-DE, Europe/Berlin)', () => {
  let t: ReturnType<typeof makeTenant>;
  beforeAll(() => {
    t = makeTenant({ locale: 'de-DE', timezone: 'Europe/Berlin', now: '2025-11-25T10:00:00.000Z' });
    seed(t.ctx);
  });
  afterAll(() => t.close());

  it('separates cells with ; and writes decimals with a comma, the details in a # line before the header', () => {
    const file = exportCsv(t.ctx, { name: 'campaign-performance', from: '2025-10-01', to: '2025-10-31', details: 'comment' });
    expect(file.filename).toBe('campaign-performance.csv');
    expect(file.details).toBeUndefined();
    const [comment, header, row] = file.csv.split('\r\n');
    expect(comment).toBe(`${BOM}# Milepost export: campaign-performance | tenant: Tenant One (t1) | filters: from=2025-10-01 to=2025-10-31 as_of=2025-11-25 | time zone: Europe/Berlin | generated: 2025-11-25T11:00:00+01:00 | source: this device`);
    expect(header).toBe('campaign_id;campaign_code;campaign_name;campaign_type;status;budget;expected_roi;total_leads;converted_leads;conversion_rate;booked_amount;cost_per_lead;actual_roi');
    // The campaign's name holds the delimiter and is quoted; 1 234.50 over 2 leads is 617.25 a lead.
    expect(row).toBe('cmp-1;FEST-25;"Festive; Pune";digital;active;1234,50;12,5;2;0;0;0,00;617,25;-100');
    const parsed = parse(file.csv, { bom: true, delimiter: ';', from_line: 2, columns: true }) as Record<string, string>[];
    expect(parsed).toEqual([expect.objectContaining({ campaign_name: 'Festive; Pune', budget: '1234,50', cost_per_lead: '617,25' })]);
  });

  it('writes the details to a side file instead when asked, leaving the header first', () => {
    const file = exportCsv(t.ctx, { name: 'leads', details: 'side' });
    expect(file.csv.startsWith(`${BOM}id;created_at;`)).toBe(true);
    expect(file.details?.filename).toBe('leads.about.json');
    const about = JSON.parse(file.details!.text) as Record<string, unknown>;
    expect(about).toEqual({
      export: 'leads', tenant_id: 't1', tenant_name: 'Tenant One', filters: {}, time_zone: 'Europe/Berlin', generated_at: '2025-11-25T11:00:00+01:00',
      source: 'this device', locale: 'de-DE', delimiter: ';', decimal_separator: ',', columns: file.csv.slice(1).split('\r\n')[0]!.split(';'), rows: 2,
    });
  });

  it('takes a delimiter the user asks for: a comma file keeps decimal points', () => {
    const file = exportCsv(t.ctx, { name: 'campaign-performance', from: '2025-10-01', to: '2025-10-31', delimiter: ',' });
    expect(file.csv.split('\r\n')[1]).toBe('cmp-1,FEST-25,Festive; Pune,digital,active,1234.50,12.5,2,0,0,0.00,617.25,-100');
  });

  it('refuses unknown details or delimiters, naming the field, and writes nothing', () => {
    const before = snapshot(t.ctx);
    expect(refusal(() => exportCsv(t.ctx, { name: 'leads', details: 'header' })).details).toEqual([{ field: 'details', message: 'must be comment, side or none' }]);
    expect(refusal(() => exportCsv(t.ctx, { name: 'leads', delimiter: '|' })).details).toEqual([{ field: 'delimiter', message: 'must be , or ;' }]);
    expect(snapshot(t.ctx)).toEqual(before);
  });

  it('streams a file and its side file beside it, the side file counting the rows written', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'october-leads.csv');
    const table = exportTable(t.ctx, { name: 'leads', from: '2025-10-01', to: '2025-10-10', details: 'side' });
    expect(await writeExport(out, originOf(t.ctx), 'leads', table)).toEqual({ rows: 1, detailsFile: path.join(dir, 'october-leads.about.json') });
    expect(fs.readdirSync(dir).sort()).toEqual(['october-leads.about.json', 'october-leads.csv']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'october-leads.about.json'), 'utf8'))).toMatchObject({ export: 'leads', filters: { from: '2025-10-01', to: '2025-10-10' }, rows: 1 });
    const rows = parse(fs.readFileSync(out, 'utf8'), { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.name)).toEqual(['Anna Schmidt']);
  });
});

describe('a tenant in en-IN (the default locale)', () => {
  it('writes RFC 4180 with commas and decimal points, and no details unless asked', () => {
    const t = makeTenant({ timezone: 'Asia/Kolkata' });
    try {
      seed(t.ctx);
      const plain = exportCsv(t.ctx, { name: 'campaign-performance', from: '2025-10-01', to: '2025-10-31' });
      expect(plain.details).toBeUndefined();
      expect(plain.csv.split('\r\n')[1]).toBe('cmp-1,FEST-25,Festive; Pune,digital,active,1234.50,12.5,2,0,0,0.00,617.25,-100');
      const commented = exportCsv(t.ctx, { name: 'dashboard', details: 'comment' });
      expect(commented.csv.split('\r\n')[0]).toBe(`${BOM}# Milepost export: dashboard | tenant: Tenant One (t1) | filters: as_of=2025-11-25 | time zone: Asia/Kolkata | generated: 2025-11-25T15:30:00+05:30 | source: this device`);
    } finally {
      t.close();
    }
  });
});

describe('the unit exports (issue 15)', () => {
  it('writes every unit with its status now, and each project\'s types by status with their list value, exact to the paisa', async () => {
    const t = makeTenant({ timezone: 'Asia/Kolkata' });
    try {
      const { unitInventoryService } = await import('./catalog.js');
      const { createUnits, updateUnit } = await import('./units.js');
    const { holdUnit } = await import('./holds.js');
      unitInventoryService.create(t.ctx, { project_name: 'Green Meadows', unit_type: '2BHK', total_units: 0 });
      leadService.create(t.ctx, { id: 'L1', name: 'Asha', lead_date: '2025-11-01' });
      const { units } = createUnits(t.ctx, { project_name: 'Green Meadows', tower: 'A', unit_type: '2BHK', floor_from: 1, floor_to: 1, units_per_floor: 3, list_price: 6500000.25 });
      holdUnit(t.ctx, units[0]!.id, { lead_id: 'L1' });
      updateUnit(t.ctx, units[2]!.id, { blocked: true, list_price: 100.5 });
      const list = exportCsv(t.ctx, { name: 'units' }).csv.replace(BOM, '').split('\r\n');
      expect(list[0]).toBe('id,project_name,tower,floor,unit_number,unit_type,carpet_area_sqft,list_price,blocked,status');
      expect(list.slice(1, 4).map((l) => l.split(',').slice(4).join(','))).toEqual([
        '101,2BHK,,6500000.25,false,held', '102,2BHK,,6500000.25,false,available', '103,2BHK,,100.50,true,blocked',
      ]);
      const inventory = exportCsv(t.ctx, { name: 'inventory', project_name: 'green meadows' }).csv.replace(BOM, '').split('\r\n');
      expect(inventory[0]).toBe('project_name,unit_type,total_units,available,held,booked,sold,blocked,list_value,unsold_value,sales_value');
      // 6,500,000.25 × 2 + 100.50 = 13,000,101.00; to sell (available and held): 13,000,000.50; none sold.
      expect(inventory[1]).toBe('Green Meadows,2BHK,3,1,1,0,0,1,13000101.00,13000000.50,0.00');
    } finally {
      t.close();
    }
  });
});
