import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns } from '../../db/schema/index.js';
import { campaignTypes } from '../../db/schema/enums.js';
import { code, enumOf, localDate, money, requiredText } from '../domain/validation.js';
import { entityService, recordInputs } from './entityService.js';
import { makeTenant, refusal, snapshot } from '../../test/tenantFixture.js';

// The one generic piece behind the plain records: create, get, list, update, delete,
// built here on a table of its own choosing, as a new entity would be.

const fields = { campaign_code: code(), campaign_name: requiredText(), campaign_type: enumOf(campaignTypes), start_date: localDate().nullish(), budget: money().optional() };
const service = entityService({
  table: campaigns,
  entity: 'campaign',
  ...recordInputs(fields),
  moneyFields: ['budget'],
  uniqueFields: ['campaign_code'],
  filters: { campaign_type: campaigns.campaign_type },
  searchColumns: [campaigns.campaign_code, campaigns.campaign_name],
  dateColumn: campaigns.start_date,
  orderBy: [asc(campaigns.campaign_code)],
  prepare: (_ctx, v) => ({ ...v, campaign_name: String(v.campaign_name).trim() }),
});

let t: ReturnType<typeof makeTenant>;
beforeAll(() => {
  t = makeTenant();
  for (const [c, type, start, budget] of [['A-1', 'email', '2025-01-10', 1000.5], ['B-2', 'digital', '2025-03-01', 20], ['C-3', 'email', '2025-06-30', 0.05]] as const) {
    service.create(t.ctx, { campaign_code: c, campaign_name: ` Campaign ${c} `, campaign_type: type, start_date: start, budget });
  }
});
afterAll(() => t.close());

describe('entityService', () => {
  it('creates through prepare, shows money in rupees, and keeps codes unique', () => {
    expect(service.get(t.ctx, service.list(t.ctx, { search: 'A-1' }).items[0]!.id)).toMatchObject({ campaign_name: 'Campaign A-1', budget: 1000.5 });
    const taken = refusal(() => service.create(t.ctx, { campaign_code: 'A-1', campaign_name: 'x', campaign_type: 'email' }));
    expect([taken.code, taken.details[0]?.field]).toEqual(['conflict', 'campaign_code']);
  });

  it('lists with filters, search, dates and pages, in the order asked', () => {
    const codes = (input: Record<string, unknown>) => service.list(t.ctx, input).items.map((c) => c.campaign_code);
    expect(codes({})).toEqual(['A-1', 'B-2', 'C-3']);
    expect(codes({ campaign_type: 'email' })).toEqual(['A-1', 'C-3']);
    expect(codes({ search: 'campaign b' })).toEqual(['B-2']);
    expect(codes({ from: '2025-02-01', to: '2025-06-30' })).toEqual(['B-2', 'C-3']);
    expect(service.list(t.ctx, { limit: 2 })).toMatchObject({ next_offset: 2 });
    expect(codes({ limit: 2, offset: 2 })).toEqual(['C-3']);
    expect(refusal(() => service.list(t.ctx, { colour: 'red' })).details[0]).toMatchObject({ field: 'colour' });
  });

  it('updates only what is sent, refuses an unknown record or field, and deletes softly', () => {
    const c = service.list(t.ctx, { search: 'B-2' }).items[0]!;
    expect(service.update(t.ctx, c.id, { budget: 25.25 })).toMatchObject({ campaign_code: 'B-2', budget: 25.25, campaign_type: 'digital' });
    const before = snapshot(t.ctx);
    expect(refusal(() => service.update(t.ctx, 'nope', { budget: 1 })).code).toBe('not_found');
    expect(refusal(() => service.update(t.ctx, c.id, { colour: 'red' })).details[0]).toMatchObject({ field: 'colour' });
    expect(snapshot(t.ctx)).toEqual(before);
    service.remove(t.ctx, c.id);
    expect(service.list(t.ctx, {}).items.map((x) => x.campaign_code)).toEqual(['A-1', 'C-3']);
    expect(refusal(() => service.get(t.ctx, c.id)).code).toBe('not_found');
  });
});
