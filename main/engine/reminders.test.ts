import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadService } from '../services/leads.js';
import { completeFollowUp } from '../services/followUps.js';
import { createMilestone } from '../services/milestones.js';
import { addReps, makeTenant } from '../../test/tenantFixture.js';
import type { Session } from '../api/session.js';
import { Reminders } from './reminders.js';

// Reminders, with Electron's Notification replaced by a recorder (no Electron runs here).
let t: ReturnType<typeof makeTenant>;
const shown: { title: string; body: string; clicked: () => void }[] = [];
let opened = 0;
const reminders = new Reminders((o) => {
  const n = { ...o, clicked: () => {} };
  return { show: () => shown.push(n), on: (_e: 'click', fn: () => void) => (n.clicked = fn) };
}, () => (opened += 1));

const session = (role: 'sales_rep' | 'manager', username: string): Session => ({ tenantId: 't1', user: { id: username, username, role }, ctx: t.ctx, sync: null as never });

beforeAll(() => {
  t = makeTenant({ now: '2025-11-25T03:00:00.000Z' });
  addReps(t.ctx, 'asha', 'rahul');
  leadService.create(t.ctx, { id: 'A', name: 'Asha Rao', assigned_to: 'asha', lead_date: '2025-11-01' });
  leadService.create(t.ctx, { id: 'B', name: 'Dev Kapoor', assigned_to: 'rahul', lead_date: '2025-11-01' });
  createMilestone(t.ctx, { id: 'm1', lead_id: 'A', milestone_type: 'contacted', milestone_date: '2025-11-20', follow_up_date: '2025-11-23' }); // overdue
  createMilestone(t.ctx, { id: 'm2', lead_id: 'A', milestone_type: 'site_visit', milestone_date: '2025-11-21', follow_up_date: '2025-11-25' }); // today
  createMilestone(t.ctx, { id: 'm3', lead_id: 'B', milestone_type: 'demo', milestone_date: '2025-11-22', follow_up_date: '2025-11-25' }); // today, rahul's
  createMilestone(t.ctx, { id: 'm4', lead_id: 'A', milestone_type: 'proposal', milestone_date: '2025-11-22', follow_up_date: '2025-11-28' }); // later
});
afterAll(() => (reminders.stop(), t.close()));

describe('follow-up reminders (issue 8)', () => {
  it('sums up the day at its start, for a rep their own leads, and opens the Today view on a click', () => {
    expect(reminders.check(session('sales_rep', 'asha'))).toEqual(['Follow-ups for today: 1 due today, 1 overdue on your leads.']);
    shown[0]!.clicked();
    expect(opened).toBe(1);
    // Nothing new: nothing said.
    expect(reminders.check(session('sales_rep', 'asha'))).toEqual([]);
  });

  it('tells of a follow-up that comes due during the day, once', () => {
    createMilestone(t.ctx, { id: 'm5', lead_id: 'A', milestone_type: 'revisit', milestone_date: '2025-11-25', follow_up_date: '2025-11-25' });
    expect(reminders.check(session('sales_rep', 'asha'))).toEqual(['Follow-up due: Asha Rao: after the revisit — today.']);
    expect(reminders.check(session('sales_rep', 'asha'))).toEqual([]);
  });

  it('sums up again on the next day, without the ones completed', () => {
    completeFollowUp(t.ctx, 'm1');
    t.setNow('2025-11-28T03:00:00.000Z');
    expect(reminders.check(session('sales_rep', 'asha'))).toEqual(['Follow-ups for today: 1 due today, 2 overdue on your leads.']);
  });

  it('tells a manager about everyone\'s follow-ups', () => {
    const manager = new Reminders(() => ({ show: () => {}, on: () => {} }), () => {});
    expect(manager.check(session('manager', 'boss'))).toEqual(['Follow-ups for today: 1 due today, 3 overdue.']);
  });
});

describe('instalment reminders (issue 16)', () => {
  it('sums up at the day\'s start what falls due today and what is overdue, in the tenant\'s money', async () => {
    const { receivablesDataset } = await import('../../test/receivablesDataset.js');
    const r = receivablesDataset();
    try {
      const said = (username: string, role: 'sales_rep' | 'manager') =>
        new Reminders(() => ({ show: () => {}, on: () => {} }), () => {}).check({ tenantId: 't1', user: { id: username, username, role }, ctx: r.ctx, sync: null as never });
      // 31 December: Asha's July instalment is 1,50,000 short and November's 5,00,000 unpaid.
      expect(said('boss', 'manager')).toEqual(['Instalments due: 2 overdue (₹6,50,000.00).']);
      // 28 November, the day her possession instalment falls due (Bala has not booked yet).
      r.setNow('2025-11-28T04:00:00.000Z');
      expect(said('boss', 'manager')).toEqual(['Instalments due: 1 falling due today (₹5,00,000.00), 1 overdue (₹1,50,000.00).']);
      // Her bookings came from no lead: a rep hears of none.
      expect(said('asha', 'sales_rep')).toEqual([]);
    } finally {
      r.close();
    }
  });
});
