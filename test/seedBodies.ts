// The request bodies of the seed's examples (shared/seed), verbatim.

export const seedMilestone = {
  lead_id: 'lead-123',
  milestone_type: 'site_visit',
  milestone_date: '2025-11-25',
  location_name: 'Bangalore Office',
  visited_by: 'sales-rep-1',
  outcome: 'positive',
  notes: 'Client very interested, follow-up in 2 days',
  follow_up_required: true,
};

export const seedEngagement = {
  lead_id: 'lead-123',
  engagement_type: 'call_made',
  engagement_channel: 'phone',
  subject: 'Follow-up call - project discussion',
  notes: 'Discussed timeline and budget',
  status: 'completed',
};

export const seedBooking = {
  customer_id: 'cust-123',
  lead_id: 'lead-123',
  booking_code: 'BOOK-2025-001',
  booking_date: '2025-11-25',
  booking_amount: 500000,
  unit_type: 'apartment',
  unit_count: 1,
  units_booked: 1,
  units_available: 2,
  delivery_date: '2026-06-30',
  status: 'confirmed',
};

export const seedCampaign = {
  campaign_code: 'CAMPAIGN_2025_Q1_EMAIL',
  campaign_name: 'Q1 Email Campaign',
  campaign_type: 'email',
  start_date: '2025-01-01',
  end_date: '2025-03-31',
  budget: 50000,
  expected_roi: 300,
};

export const seedLedger = [
  { customer_id: 'cust-123', transaction_type: 'invoice', debit_amount: 100000, credit_amount: 0, balance_after: 100000 },
  { customer_id: 'cust-123', transaction_type: 'payment', debit_amount: 0, credit_amount: 75000, balance_after: 25000 },
  { customer_id: 'cust-123', transaction_type: 'credit_note', debit_amount: 0, credit_amount: 25000, balance_after: 0 },
];

/** What the API needs to exist before the seed's bodies make sense. */
export const seedLead = { id: 'lead-123', name: 'Seed Lead', lead_date: '2025-11-01' };
export const seedCustomer = { id: 'cust-123', customer_code: 'CUST-123', name: 'Seed Customer', lead_id: 'lead-123' };
