import { type Point } from '../domain/geo.js';

// The demo's world: lead sources, campaign kinds, three projects with their sites and
// towers, the sales reps, and the names buyers have.

export const SOURCES = [
  { source_name: 'Website', source_type: 'website', subsource_name: 'Organic', channel: 'Organic Search' },
  { source_name: 'Google Ads', source_type: 'advertisement', subsource_name: 'Google Ads', channel: 'Paid Search' },
  { source_name: 'Facebook', source_type: 'social', subsource_name: 'Facebook Lead Ads', channel: 'Social Media' },
  { source_name: 'LinkedIn', source_type: 'social', subsource_name: 'LinkedIn', channel: 'Social Media' },
  { source_name: 'Customer referral', source_type: 'referral', subsource_name: null, channel: 'Referral' },
  { source_name: 'Walk-in', source_type: 'walk_in', subsource_name: 'Site office', channel: 'Direct' },
  { source_name: 'Property expo', source_type: 'event', subsource_name: 'City Property Expo', channel: 'Events' },
  { source_name: 'Broker network', source_type: 'partner', subsource_name: 'Channel partners', channel: 'Partner' },
  { source_name: 'Newspaper', source_type: 'advertisement', subsource_name: 'Times Property', channel: 'Print' },
  { source_name: 'Inbound call', source_type: 'phone', subsource_name: null, channel: 'Direct' },
] as const;

export const CAMPAIGN_TYPES = ['digital', 'email', 'social', 'event', 'traditional', 'referral'] as const;
/** A block of units: a tower's floors × units per floor of one type (SPEC §10). */
export type Block = { tower: string; unit_type: string; floors: [number, number]; per_floor: number; numbering?: string; area: number };
export const PROJECTS: { project_name: string; site: Point & { radius_m: number }; units: [string, number, number][]; blocks: Block[] }[] = [
  {
    project_name: 'Green Meadows', site: { latitude: 12.9352, longitude: 77.5346, radius_m: 500 },
    units: [['2BHK', 400, 6_500_000], ['3BHK', 250, 9_200_000], ['Villa', 40, 21_000_000]],
    blocks: [
      { tower: 'A', unit_type: '2BHK', floors: [1, 25], per_floor: 8, area: 812 },
      { tower: 'B', unit_type: '2BHK', floors: [1, 25], per_floor: 8, area: 845 },
      { tower: 'C', unit_type: '3BHK', floors: [1, 25], per_floor: 10, area: 1240 },
      { tower: 'Villas', unit_type: 'Villa', floors: [0, 0], per_floor: 40, numbering: 'V{unit:02}', area: 2400 },
    ],
  },
  {
    project_name: 'Lakeview Towers', site: { latitude: 12.9716, longitude: 77.5946, radius_m: 350 },
    units: [['1BHK', 300, 3_800_000], ['2BHK', 350, 5_900_000], ['Penthouse', 20, 32_000_000]],
    blocks: [
      { tower: '1', unit_type: '1BHK', floors: [1, 30], per_floor: 10, area: 560 },
      { tower: '1', unit_type: 'Penthouse', floors: [31, 32], per_floor: 10, area: 3100 },
      { tower: '2', unit_type: '2BHK', floors: [1, 35], per_floor: 10, area: 890 },
    ],
  },
];
export const DEMO_REPS = ['asha.k', 'rahul.m', 'priya.s', 'vikram.r', 'neha.j'];
export const REPS = DEMO_REPS;
export const FIRST = ['Aarav', 'Diya', 'Kabir', 'Meera', 'Rohan', 'Ananya', 'Ishaan', 'Saanvi', 'Arjun', 'Kavya', 'Dev', 'Riya', 'Nikhil', 'Tara', 'Yash', 'Zoya'];
export const LAST = ['Sharma', 'Iyer', 'Reddy', 'Patel', 'Nair', 'Gupta', 'Menon', 'Das', 'Kapoor', 'Singh', 'Rao', 'Joshi'];
export const COMPANIES = [null, null, null, 'Infosys', 'Tata Steel', 'Wipro', 'HDFC Bank', 'Self-employed', 'Apollo Hospitals'];
export const LOSS_REASONS = ['Budget mismatch', 'Chose another project', 'Location not suitable', 'Loan not approved', 'Stopped responding'];
