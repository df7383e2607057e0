import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../main/demo/demoData.js';
import { leadService } from '../../main/services/leads.js';
import { drillDown, runReport } from '../../main/services/reports.js';
import { makeTenant, refusal } from '../../test/tenantFixture.js';
import { DRILL_REPORTS, DRILL_ROWS, RECEIVABLES_DRILLS, type DrillReport } from './drillDown.js';

// "drill-down that always matches": for every cell of the dashboard, funnel,
// source and campaign reports on the demo data, the list behind the number (read from
// the records) holds exactly as many records as the number (read from the aggregates
// kept by triggers), or sums to it, or gives the rate.

const TODAY = '2025-11-25';
let t: ReturnType<typeof makeTenant>;
beforeAll(() => {
  t = makeTenant();
  runDemo(t.ctx, { leads: 500, seed: 7, today: TODAY });
  // Beside the demo: leads without a source (their own row), and a deleted one.
  leadService.create(t.ctx, { name: 'No source 1', lead_date: '2025-10-03' });
  leadService.create(t.ctx, { name: 'No source 2', lead_date: '2025-11-20', status: 'contacted' });
  leadService.remove(t.ctx, leadService.create(t.ctx, { name: 'Deleted', lead_date: '2025-10-04' }).id as string);
}, 120_000);
afterAll(() => t.close());

type Row = Record<string, unknown>;

/** Every page of a cell's list, and what the first page said about the whole. */
function drillAll(report: DrillReport, column: string, row: string | null, filters: Row) {
  const first = drillDown(t.ctx, { ...filters, report, column, ...(row === null ? {} : { row }), limit: 500 });
  const rows = [...first.rows];
  for (let next = first.next_offset; next !== null;) {
    const page = drillDown(t.ctx, { ...filters, report, column, ...(row === null ? {} : { row }), limit: 500, offset: next });
    rows.push(...page.rows);
    next = page.next_offset;
  }
  return { ...first, rows };
}

const cents = (n: number) => Math.round(n * 100);
const EARLIER = '2025-06-30';
const DUES = ['due_to_date', 'overdue_amount', 'collection_efficiency'];

/** Check every figure of every row; answers how many cells were checked. */
function checkReport(report: DrillReport, filters: Row): number {
  const result = runReport(t.ctx, report, filters) as unknown as Row | Row[];
  const rows = Array.isArray(result) ? result : [result];
  const { key, fixed } = DRILL_ROWS[report];
  let checked = 0;
  for (const r of rows) {
    const rowKey = key === null ? null : ((r[key] as string | null) ?? '');
    for (const [column, shown] of Object.entries(r)) {
      if (typeof shown !== 'number' || fixed.includes(column)) continue;
      const where = `${report} ${JSON.stringify(filters)} row ${rowKey} ${column}`;
      if (DUES.includes(column) && filters.as_of === EARLIER) {
        // Instalments are listed with what is paid of each now: not for a day before later receipts.
        expect(refusal(() => drillAll(report, column, rowKey, filters)).details[0]!.field, where).toBe('as_of');
        continue;
      }
      const d = drillAll(report, column, rowKey, filters);
      expect(d.rows.length, `${where}: rows listed`).toBe(d.total);
      expect(new Set(d.rows.map((x) => x.id)).size, `${where}: each record once`).toBe(d.total);
      expect(d.value, `${where}: the number worked out from the list`).toBe(shown);
      if (d.amount === null && !/rate|quality|collection|ltv|roi|cost_per/.test(column)) {
        expect(d.total, `${where}: list length`).toBe(shown);
      } else if (d.amount !== null && !/rate|collection|ltv|roi|cost_per/.test(column)) {
        expect(d.rows.reduce((s, x) => s + cents(x.share as number), 0), `${where}: list sum`).toBe(cents(shown));
      }
      checked += 1;
    }
  }
  return checked;
}

describe('drill-down (issue 8)', () => {
  const periods: [string, Row][] = [
    ['the default period', {}],
    ['a period with partial months at both ends', { from: '2025-01-17', to: '2025-09-12' }],
    ['an earlier as-of date', { as_of: EARLIER }],
    ['a period inside one month', { from: '2025-10-02', to: '2025-10-29', as_of: '2025-11-25' }],
  ];
  for (const [name, filters] of periods) {
    it(`every cell's list matches its number: ${name}`, () => {
      const checked = Object.fromEntries(DRILL_REPORTS.filter((r) => !RECEIVABLES_DRILLS.includes(r)).map((r) => [r, checkReport(r, filters)]));
      // The dashboard's figures less the trend (its dues only as of a day the receipts are all in by); every month, source and campaign row.
      expect(checked.dashboard).toBe(filters.as_of === EARLIER ? 23 : 26);
      expect(checked.funnel).toBeGreaterThanOrEqual(7);
      expect(checked['source-performance']).toBeGreaterThanOrEqual(10 * 5);
      expect(checked['campaign-performance']).toBe(6 * 6);
    }, 120_000);
  }

  // Every figure of the receivables aging (each customer's row and the total) and
  // of the collections opens the instalments or receipts it is made of.
  const receivables: [DrillReport, Row, number][] = [
    ['receivables-aging', {}, 12],
    ['receivables-aging', { project_name: 'lakeview towers' }, 12],
    ['receivables-aging', { buckets: '15,45' }, 10],
    ['collections', {}, 5],
    ['collections', { from: '2025-02-10', to: '2025-08-20' }, 5],
  ];
  for (const [report, filters, perRow] of receivables) {
    it(`every cell's list matches its number: ${report} ${JSON.stringify(filters)}`, () => {
      const rows = (runReport(t.ctx, report, filters) as unknown as Row[]).length;
      expect(rows).toBeGreaterThan(3);
      expect(checkReport(report, filters)).toBe(rows * perRow);
    }, 120_000);
  }

  it('refuses to list instalments as of a day before later receipts, and a row or filter that is not the report\'s', () => {
    expect(refusal(() => drillDown(t.ctx, { report: 'receivables-aging', column: 'overdue_total', row: '', as_of: EARLIER })).details[0]!.field).toBe('as_of');
    expect(refusal(() => drillDown(t.ctx, { report: 'collections', column: 'receipts', row: '2025-13' })).details[0]!.field).toBe('row');
    expect(refusal(() => drillDown(t.ctx, { report: 'receivables-aging', column: 'overdue_total', row: 'nobody' })).details[0]!.field).toBe('row');
    expect(refusal(() => drillDown(t.ctx, { report: 'funnel', column: 'total_leads', row: '2025-10', project_name: 'Lakeview Towers' })).details[0]!.field).toBe('project_name');
  });

  it('lists the leads behind a funnel cell, named, with the record fields a manager reads', () => {
    const funnel = runReport(t.ctx, 'funnel', {}) as unknown as Row[];
    const month = funnel.find((r) => (r.converted as number) > 0)!;
    const d = drillAll('funnel', 'converted', month.month as string, {});
    expect(d.label).toBe('converted leads');
    expect(d.list).toBe('leads');
    expect(d.rows.length).toBe(month.converted);
    for (const lead of d.rows) {
      expect(lead.status).toBe('converted');
      expect((lead.lead_date as string).slice(0, 7)).toBe(month.month);
      expect(typeof lead.name).toBe('string');
    }
  });

  it('lists the leads without a source under the "(no source)" row', () => {
    const d = drillAll('source-performance', 'total_leads', '', {});
    expect(d.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['No source 1', 'No source 2']));
    expect(d.rows.every((r) => r.source_name === null)).toBe(true);
    expect(d.rows.map((r) => r.name)).not.toContain('Deleted');
  });

  it('opens a rate as the list its numerator counts, with the rate recomputed', () => {
    const dash = runReport(t.ctx, 'dashboard', {}) as unknown as Row;
    const d = drillAll('dashboard', 'payment_collection', null, {});
    expect(d.list).toBe('ledger');
    // Paid is net of refunds (SPEC §5): the payments and the refunds, both in the demo's cancellations.
    expect(new Set(d.rows.map((r) => r.transaction_type))).toEqual(new Set(['payment', 'refund']));
    expect(d.value).toBe(dash.payment_collection);
  });

  it('refuses a column that is not a figure, a missing row and an unknown campaign, naming the field', () => {
    expect(refusal(() => drillDown(t.ctx, { report: 'dashboard', column: 'as_of' })).details[0]!.field).toBe('column');
    expect(refusal(() => drillDown(t.ctx, { report: 'funnel', column: 'converted' })).details[0]!.field).toBe('row');
    expect(refusal(() => drillDown(t.ctx, { report: 'funnel', column: 'converted', row: '2025-13' })).details[0]!.field).toBe('row');
    expect(refusal(() => drillDown(t.ctx, { report: 'campaign-performance', column: 'total_leads', row: 'nope' })).code).toBe('not_found');
    expect(refusal(() => drillDown(t.ctx, { report: 'bookings', column: 'booking_count' })).details[0]!.field).toBe('report');
  });
});
