// Every enum of SPEC §3, in one place: the schema's CHECK constraints and the zod
// input schemas are both built from these lists, so they cannot drift apart.

export const userRoles = ['admin', 'manager', 'sales_rep'] as const;
export const sourceTypes = [
  'website', 'email', 'phone', 'referral', 'event', 'social', 'walk_in', 'partner', 'advertisement', 'other',
] as const;
export const campaignTypes = ['email', 'social', 'referral', 'event', 'digital', 'traditional', 'direct', 'outbound'] as const;
export const campaignStatuses = ['active', 'inactive', 'completed', 'paused'] as const;
export const leadStatuses = ['new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost'] as const;
export const milestoneTypes = [
  'lead_generated', 'contacted', 'site_visit', 'revisit', 'demo', 'proposal', 'negotiation', 'booking', 'cancellation', 'reengaged',
] as const;
export const outcomes = ['positive', 'neutral', 'negative'] as const;
export const engagementTypes = ['email_sent', 'call_made', 'message_sent', 'meeting_scheduled', 'proposal_sent', 'quote_sent'] as const;
export const engagementChannels = ['email', 'phone', 'sms', 'whatsapp', 'in_person', 'video'] as const;
export const engagementStatuses = ['completed', 'scheduled', 'cancelled'] as const;
/** What a visit's photo may be (checked by its own bytes, not its name). */
export const photoTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const bookingStatuses = ['confirmed', 'pending', 'cancelled', 'completed', 'on_hold'] as const;
export const transactionTypes = ['invoice', 'payment', 'credit_note', 'debit_note', 'adjustment', 'refund'] as const;
export const ledgerStatuses = ['active', 'reversed', 'cancelled'] as const;
export const scheduleStatuses = ['scheduled', 'cancelled'] as const;

export type UserRole = (typeof userRoles)[number];
export type LeadStatus = (typeof leadStatuses)[number];
export type MilestoneType = (typeof milestoneTypes)[number];
export type BookingStatus = (typeof bookingStatuses)[number];
export type TransactionType = (typeof transactionTypes)[number];

/** SPEC §4: stage ranks; `lost` is off the ladder. */
export const stageRank: Record<LeadStatus, number | null> = {
  new: 0, contacted: 1, qualified: 2, negotiation: 3, converted: 4, lost: null,
};

/** SPEC §10: a unit's status, derived (never stored), in the order it is decided. */
export const unitStatuses = ['blocked', 'sold', 'booked', 'held', 'available'] as const;
export type UnitStatus = (typeof unitStatuses)[number];
export const holdReleaseReasons = ['released', 'booked', 'expired', 'conflict'] as const;
