import { describe, expect, it } from 'vitest';
import { makeTenant } from '../../test/tenantFixture.js';
import { useSmallDataset } from '../../test/smallDataset.js';
import { isLiveAggregate } from '../../test/syncFixture.js';
import { bookingSummaryReport } from './bookingSummary.js';
import { campaignPerformanceReport } from './campaignPerformance.js';
import { customerLedgerSummary } from './customerLedgerSummary.js';
import { dashboardReport } from './dashboard.js';
import { funnelReport } from './funnel.js';
import { milestoneTimelineReport } from './milestoneTimeline.js';
import { sourcePerformanceReport } from './sourcePerformance.js';

// Every expected value below was worked out by hand from test/smallDataset.ts.
const small = useSmallDataset();


describe('KPI dashboard (SPEC §5)', () => {
  it('computes every metric of the table as of a date', () => {
    expect(dashboardReport(small.t.ctx.db, { as_of: '2025-11-25' })).toEqual({
      as_of: '2025-11-25',
      project_name: null,
      total_leads: 6,
      converted_leads: 1,
      qualified_leads: 3, // L1, L3, L5 reached rank 2
      conversion_rate: 16.67,
      lead_quality: 50,
      customer_count: 3,
      active_customers: 1, // only L1's customer has a non-cancelled booking
      // Net of the cancellation (SPEC §5): invoiced 500000 + 200000 − the 190000 credit note;
      // paid 100000 + 60000 − the 50000 refund.
      customer_ltv: 170000, // 510000 / 3
      payment_collection: 21.57, // 110000 / 510000
      total_invoiced: 510000,
      total_paid: 110000,
      total_bookings: 3,
      booked_amount: 850000.75,
      booking_rate: 300, // 3 bookings / 1 converted lead
      engagements_this_month: 1,
      active_leads: 2, // L2, L4
      engagement_rate: 0.5,
      pending_follow_ups: 2,
      overdue_follow_ups: 1,
      outstanding_balance: 400000, // L1's 500000 − 100000; L5's cancelled booking owes nothing
      // SPEC §10 dues: L1's customer's 100000 paid the oldest instalment (500000 on 30 Sep), leaving
      // 400000 + DIR-1's 250000.25 + DIR-2's 100000.5 unpaid, all past due. L5's forfeiture (10000,
      // due 15 Nov) is paid by the payment referencing that booking, the rest went back as the refund.
      due_to_date: 750000.75,
      overdue_amount: 750000.75,
      // Due in November: 250000.25 + 100000.5 + 10000, of which 10000 is paid: 10000 / 360000.75.
      collection_efficiency: 2.78,
      conversion_rate_this_month: 0,
      conversion_rate_last_month: 0,
      conversion_rate_trend: 0,
      // L4 is new since 11-05 with nothing since: 20 days idle, over the 3 allowed. L2's
      // last engagement is on 11-24, L1 is converted and the rest lost.
      stale_leads: 1,
    });
  });

  it('counts only what is dated on or before as_of, and the trend against last month', () => {
    const d = dashboardReport(small.t.ctx.db, { as_of: '2025-10-15' });
    expect(d).toMatchObject({
      total_leads: 3, converted_leads: 1, total_bookings: 1, booked_amount: 500000, total_invoiced: 500000, total_paid: 100000,
      outstanding_balance: 400000, engagements_this_month: 0, overdue_follow_ups: 1,
      conversion_rate_this_month: 0, conversion_rate_last_month: 33.33, conversion_rate_trend: -33.33,
      // Every record was entered on 25 November; L1's customer existed by its booking of 30 September,
      // the others not yet. L1's and L2's follow-ups were recorded; L5's demo came on 10 November.
      customer_count: 1, pending_follow_ups: 2,
    });
  });

  it('counts customers and follow-ups as they were on as_of (issue 16)', () => {
    // 12 November: L5's customer has booked (that day), Zed not yet; L5's follow-up of
    // 11 November was completed only on the 25th, so it was pending and overdue then.
    expect(dashboardReport(small.t.ctx.db, { as_of: '2025-11-12' })).toMatchObject({ customer_count: 2, pending_follow_ups: 3, overdue_follow_ups: 2 });
    expect(dashboardReport(small.t.ctx.db, { as_of: '2025-11-25' })).toMatchObject({ customer_count: 3, pending_follow_ups: 2, overdue_follow_ups: 1 });
    // In Kolkata the 25th ends at 18:30 UTC: the records entered at 10:00 UTC count that day, not the day before.
    expect(dashboardReport(small.t.ctx.db, { as_of: '2025-11-24', timezone: 'Asia/Kolkata' })).toMatchObject({ customer_count: 2, pending_follow_ups: 3 });
  });

  it('answers zeros, not errors, on an empty tenant', () => {
    const empty = makeTenant();
    const d = dashboardReport(empty.ctx.db, { as_of: '2025-11-25' });
    expect(Object.values(d).filter((v) => typeof v === 'number' && v !== 0)).toEqual([]);
    empty.close();
  });
});

describe('the SQL views match the report queries', () => {
  const all = (sql: string) => small.t.ctx.db.prepare(sql).all();
  it('v_lead_funnel_analysis', () => {
    expect(all('SELECT * FROM v_lead_funnel_analysis')).toEqual(funnelReport(small.t.ctx.db, { from: '2025-09-01', to: '2025-11-30', as_of: '2025-11-25' }));
  });
  it('v_lead_source_performance', () => {
    const byName = (a: { source_name: string }, b: { source_name: string }) => a.source_name.localeCompare(b.source_name);
    expect((all('SELECT * FROM v_lead_source_performance') as { source_name: string }[]).sort(byName)).toEqual(sourcePerformanceReport(small.t.ctx.db, {}).sort(byName));
  });
  it('v_campaign_performance', () => {
    expect(all('SELECT * FROM v_campaign_performance ORDER BY campaign_code')).toEqual(campaignPerformanceReport(small.t.ctx.db, {}));
  });
  it('v_booking_summary', () => {
    expect(all('SELECT * FROM v_booking_summary')).toEqual(bookingSummaryReport(small.t.ctx.db, {}));
  });
  it('v_customer_ledger_summary', () => {
    expect(all('SELECT * FROM v_customer_ledger_summary ORDER BY customer_name')).toEqual(customerLedgerSummary(small.t.ctx.db, {}));
  });
  it('v_lead_milestone_timeline', () => {
    expect(all("SELECT * FROM v_lead_milestone_timeline WHERE lead_id = 'L1'")).toEqual(milestoneTimelineReport(small.t.ctx.db, { lead_id: 'L1' }));
  });
});

describe('the aggregates kept by triggers', () => {
  it('equal their tables after creates, status changes, cancellations, reversals and soft deletes', async () => {
    const { leadService } = await import('../../main/services/leads.js');
    const { reverseLedgerEntry } = await import('../../main/services/ledger.js');
    const db = small.t.ctx.db;
    const live = (sql: string) => db.prepare(sql).all();
    // More kinds of change on top of the small dataset.
    leadService.update(small.t.ctx, 'L4', { lead_date: '2025-10-03', status: 'qualified' });
    leadService.update(small.t.ctx, 'L1', { campaign_id: 'C2', lead_date: '2025-09-11' }); // its booking moves with it
    const { bookUnit } = await import('../../main/services/bookings.js');
    bookUnit(small.t.ctx, 'L4', { booking_date: '2025-11-20', booking_amount: 1234.5 });
    leadService.update(small.t.ctx, 'L4', { campaign_id: 'C1', source_id: 'S3' });
    leadService.remove(small.t.ctx, 'L2'); // its pending follow-up leaves the counts
    const { createMilestone } = await import('../../main/services/milestones.js');
    const { completeFollowUp } = await import('../../main/services/followUps.js');
    createMilestone(small.t.ctx, { lead_id: 'L4', milestone_type: 'contacted', milestone_date: '2025-11-06', follow_up_required: true });
    const l3 = createMilestone(small.t.ctx, { lead_id: 'L3', milestone_type: 'revisit', milestone_date: '2025-11-06', follow_up_date: '2025-11-09' });
    completeFollowUp(small.t.ctx, l3.id);
    const invoice = db.prepare("SELECT id FROM sales_account_ledgers WHERE transaction_type = 'invoice' LIMIT 1").get() as { id: string };
    reverseLedgerEntry(small.t.ctx, invoice.id, { transaction_date: '2025-11-20' });
    db.prepare("UPDATE sales_account_ledgers SET status = 'cancelled' WHERE transaction_type = 'payment'").run();
    db.prepare("UPDATE sales_lead_engagement SET deleted_at = '2025-11-25T00:00:00Z' WHERE engagement_type = 'call_made'").run();
    const { customerService } = await import('../../main/services/customers.js');
    expect(live('SELECT customer_id FROM agg_customer_first_booking')).toContainEqual({ customer_id: small.ids.k1 });
    customerService.remove(small.t.ctx, small.ids.k1); // no longer an active customer

    expect(live('SELECT lead_date, status, reached_rank, n FROM agg_leads_daily WHERE n > 0 ORDER BY 1, 2, 3'))
      .toEqual(live('SELECT lead_date, status, reached_rank, count(*) AS n FROM sales_leads WHERE deleted_at IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3'));
    expect(live('SELECT booking_date, status, n, amount, units FROM agg_bookings_daily WHERE n > 0 ORDER BY 1, 2'))
      .toEqual(live('SELECT booking_date, status, count(*) AS n, sum(booking_amount) AS amount, sum(units_booked) AS units FROM sales_bookings WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2'));
    expect(live('SELECT transaction_date, invoiced, paid, debit, credit, entries FROM agg_ledger_daily WHERE entries > 0 ORDER BY 1')).toEqual(live(`
      SELECT transaction_date,
             sum(CASE transaction_type WHEN 'invoice' THEN debit_amount WHEN 'debit_note' THEN debit_amount WHEN 'credit_note' THEN -credit_amount ELSE 0 END) AS invoiced,
             sum(CASE transaction_type WHEN 'payment' THEN credit_amount WHEN 'refund' THEN -debit_amount ELSE 0 END) AS paid, sum(debit_amount) AS debit, sum(credit_amount) AS credit, count(*) AS entries
      FROM sales_account_ledgers WHERE deleted_at IS NULL AND status <> 'cancelled' GROUP BY 1 ORDER BY 1`));
    expect(live('SELECT follow_up_date, n FROM agg_follow_ups_daily WHERE n > 0 ORDER BY 1')).toEqual(live(`
      SELECT coalesce(m.follow_up_date, '') AS follow_up_date, count(*) AS n FROM sales_lead_milestones m JOIN sales_leads l ON l.id = m.lead_id
      WHERE m.follow_up_required = 1 AND m.follow_up_completed_at IS NULL AND m.deleted_at IS NULL AND l.deleted_at IS NULL GROUP BY 1 ORDER BY 1`));
    expect(live('SELECT campaign_id, lead_date, amount FROM agg_campaign_bookings_daily WHERE amount <> 0 ORDER BY 1, 2')).toEqual(live(`
      SELECT l.campaign_id, l.lead_date, sum(b.booking_amount) AS amount FROM sales_bookings b JOIN sales_leads l ON l.id = b.lead_id
      WHERE b.deleted_at IS NULL AND b.status <> 'cancelled' AND l.deleted_at IS NULL AND l.campaign_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`));
    expect(live("SELECT nullif(source_key, '') AS source_id, lead_date, status, reached_rank, n FROM agg_leads_source_daily WHERE n > 0 ORDER BY 1, 2, 3, 4"))
      .toEqual(live('SELECT source_id, lead_date, status, reached_rank, count(*) AS n FROM sales_leads WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4'));
    expect(live('SELECT engagement_date, n FROM agg_engagements_daily WHERE n > 0 ORDER BY 1'))
      .toEqual(live('SELECT engagement_date, count(*) AS n FROM sales_lead_engagement WHERE deleted_at IS NULL GROUP BY 1 ORDER BY 1'));

    expect(live('SELECT lead_date, campaign_id, n, converted FROM agg_leads_campaign_daily WHERE n > 0 ORDER BY 1, 2')).toEqual(live(`
      SELECT lead_date, campaign_id, count(*) AS n, sum(CASE WHEN status = 'converted' THEN 1 ELSE 0 END) AS converted
      FROM sales_leads WHERE deleted_at IS NULL AND campaign_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`));
    expect(live('SELECT customer_id, transaction_date, invoiced, paid, credit_notes, debit_notes, refunds, debit, credit, entries FROM agg_ledger_customer_daily WHERE entries > 0 ORDER BY 1, 2')).toEqual(live(`
      SELECT customer_id, transaction_date, sum(CASE WHEN transaction_type = 'invoice' THEN debit_amount ELSE 0 END) AS invoiced,
             sum(CASE WHEN transaction_type = 'payment' THEN credit_amount ELSE 0 END) AS paid,
             sum(CASE WHEN transaction_type = 'credit_note' THEN credit_amount ELSE 0 END) AS credit_notes,
             sum(CASE WHEN transaction_type = 'debit_note' THEN debit_amount ELSE 0 END) AS debit_notes,
             sum(CASE WHEN transaction_type = 'refund' THEN debit_amount ELSE 0 END) AS refunds,
             sum(debit_amount) AS debit, sum(credit_amount) AS credit, count(*) AS entries
      FROM sales_account_ledgers WHERE deleted_at IS NULL AND status <> 'cancelled' GROUP BY 1, 2 ORDER BY 1, 2`));
    // Each month holds the sum of its days, and the customer's last live day.
    expect(live('SELECT month, n, converted, lost FROM agg_leads_monthly WHERE n > 0 ORDER BY 1')).toEqual(live(`
      SELECT substr(lead_date, 1, 7) AS month, count(*) AS n, sum(CASE WHEN status = 'converted' THEN 1 ELSE 0 END) AS converted,
             sum(CASE WHEN status = 'lost' THEN 1 ELSE 0 END) AS lost
      FROM sales_leads WHERE deleted_at IS NULL GROUP BY 1 ORDER BY 1`));
    expect(live('SELECT customer_id, month, debit, credit, entries, last_date FROM agg_ledger_customer_monthly WHERE entries > 0 ORDER BY 1, 2')).toEqual(live(`
      SELECT customer_id, substr(transaction_date, 1, 7) AS month, sum(debit_amount) AS debit, sum(credit_amount) AS credit, count(*) AS entries,
             max(transaction_date) AS last_date
      FROM sales_account_ledgers WHERE deleted_at IS NULL AND status <> 'cancelled' GROUP BY 1, 2 ORDER BY 1, 2`));

    expect(live('SELECT customer_id, first_date FROM agg_customer_first_booking ORDER BY 1')).toEqual(live(`
      SELECT c.id AS customer_id, min(b.booking_date) AS first_date FROM sales_customers c JOIN sales_bookings b ON b.customer_id = c.id
      WHERE c.deleted_at IS NULL AND b.deleted_at IS NULL AND b.status <> 'cancelled' GROUP BY c.id ORDER BY 1`));
    expect(live('SELECT customer_id FROM agg_customer_first_booking')).not.toContainEqual({ customer_id: small.ids.k1 });

    // Recounting from scratch gives the same live rows the triggers kept.
    const aggregates = (live("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'agg_%' ORDER BY name") as { name: string }[]).map((r) => r.name);
    expect(aggregates).toHaveLength(20);
    const kept = Object.fromEntries(aggregates.map((a) => [a, (live(`SELECT * FROM ${a}`) as Record<string, unknown>[]).filter(isLiveAggregate)]));
    const { rebuildAggregates } = await import('../aggregates.js');
    rebuildAggregates(db);
    expect(Object.fromEntries(aggregates.map((a) => [a, live(`SELECT * FROM ${a}`)]))).toEqual(kept);
  });
});
