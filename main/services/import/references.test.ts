import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignService, leadSourceService } from '../catalog.js';
import { addUser, updateUser } from '../users.js';
import { makeTenant } from '../../../test/tenantFixture.js';
import { TenantReferences, type Cell } from './references.js';

// The source, campaign and user an imported row names, and what the tenant lacks.

let t: ReturnType<typeof makeTenant>;
beforeAll(() => {
  t = makeTenant();
  leadSourceService.create(t.ctx, { id: 'src-web', source_name: 'Website', source_type: 'website' });
  campaignService.create(t.ctx, { id: 'cmp-1', campaign_code: 'DIWALI-25', campaign_name: 'Diwali offer', campaign_type: 'digital', budget: 1000 });
  addUser(t.ctx, { username: 'Asha', password: 'asha-pass-1', role: 'sales_rep' });
  updateUser(t.ctx, addUser(t.ctx, { username: 'gone', password: 'gone-pass-1', role: 'sales_rep' }).id, { active: false });
});
afterAll(() => t.close());

const row = (cells: Record<string, string>): Cell => (f) => cells[f];
const read = (refs: TenantReferences, cells: Record<string, string>) => {
  const errors: string[] = [];
  const fail = (field: string, message: string) => void errors.push(`${field}: ${message}`);
  return { source: refs.source(row(cells), fail), campaign: refs.campaign(row(cells), fail), assignee: refs.assignee(row(cells), fail), errors };
};

describe('import references', () => {
  it('finds a source by id or name and a campaign by id, code or name, in any case, and an active user in any case', () => {
    const refs = new TenantReferences(t.ctx, {});
    expect(read(refs, { source: 'website', campaign: 'diwali-25', assigned_to: 'ASHA' })).toEqual({ source: { id: 'src-web' }, campaign: { id: 'cmp-1' }, assignee: 'Asha', errors: [] });
    expect(read(refs, { source: 'src-web', campaign_name: 'DIWALI OFFER' })).toMatchObject({ source: { id: 'src-web' }, campaign: { id: 'cmp-1' }, errors: [] });
    expect(refs.missing()).toEqual({ sources: [], campaigns: [], users: [] });
  });

  it('refuses what the tenant lacks, naming it and how to bring it in, and lists it with its rows', () => {
    const refs = new TenantReferences(t.ctx, {});
    expect(read(refs, { source: 'Expo 2026', campaign: 'Monsoon offer', assigned_to: 'ravi' }).errors).toEqual([
      'source: no lead source named "Expo 2026": create it, or import with “create missing sources and campaigns”',
      'campaign: no campaign with the code or name "Monsoon offer": create it, or import with “create missing sources and campaigns”',
      'assigned_to: no user "ravi": add them as a user, leave the column empty, or import such rows unassigned',
    ]);
    read(refs, { source: 'expo 2026', assigned_to: 'gone' });
    expect(refs.missing()).toEqual({
      sources: [{ source_name: 'Expo 2026', source_type: 'other', id: null, rows: 2 }],
      campaigns: [{ campaign_code: 'MONSOON-OFFER', campaign_name: 'Monsoon offer', campaign_type: 'direct', id: null, rows: 1 }],
      users: [{ username: 'ravi', rows: 1 }, { username: 'gone', rows: 1 }],
    });
  });

  it('with create_missing, gives the key to create by and keeps another branch\'s id; with unassign_unknown, imports the row unassigned', () => {
    const refs = new TenantReferences(t.ctx, { create_missing: true, unassign_unknown: true });
    const r = read(refs, { source: 'src-expo', source_name: 'Expo 2026', source_type: 'Event', campaign: 'cmp-9', campaign_code: 'MON-26', campaign_name: 'Monsoon', assigned_to: 'gone' });
    expect(r).toEqual({ source: { create: 'expo 2026' }, campaign: { create: 'mon-26' }, assignee: undefined, errors: [] });
    expect(refs.missing()).toMatchObject({ sources: [{ source_name: 'Expo 2026', source_type: 'event', id: 'src-expo' }], campaigns: [{ campaign_code: 'MON-26', id: 'cmp-9' }] });
    // A type that is none is the row's error, and nothing is made for it.
    expect(read(refs, { source: 'Fair', source_type: 'billboard' }).errors).toEqual(['source_type: must be one of: website, email, phone, referral, event, social, walk_in, partner, advertisement, other']);
    expect(refs.missing().sources.map((s) => s.source_name)).toEqual(['Expo 2026']);
  });
});
