import { stageRank, type LeadStatus, type MilestoneType } from '../../db/schema/enums.js';

// SPEC §4: the status a milestone moves a lead to, forward only.
const milestoneTarget: Record<MilestoneType, LeadStatus | null> = {
  lead_generated: null,
  contacted: 'contacted',
  site_visit: 'qualified',
  revisit: 'qualified',
  demo: 'qualified',
  proposal: 'negotiation',
  negotiation: 'negotiation',
  booking: 'converted',
  cancellation: 'lost',
  reengaged: 'contacted',
};

/** The lead's new status after a milestone of this type, or null when it stays as it is. */
export function statusAfterMilestone(current: LeadStatus, type: MilestoneType): LeadStatus | null {
  const target = milestoneTarget[type];
  if (target === null) return null;
  if (type === 'cancellation') return current === 'lost' ? null : 'lost';
  if (type === 'reengaged') return current === 'lost' ? 'contacted' : null;
  if (current === 'lost') return null; // never out of lost except by reengaged
  return (stageRank[target] as number) > (stageRank[current] as number) ? target : null;
}

/** The highest rank reached, given the rank reached so far and a new status. */
export const reachedRankAfter = (reached: number, status: LeadStatus) => Math.max(reached, stageRank[status] ?? 0);
