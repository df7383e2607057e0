import { type Point } from '../domain/geo.js';
import projects from './projects.json' with { type: 'json' };

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
/** The projects, their sites and their towers: data, in projects.json. */
export const PROJECTS = projects as { project_name: string; site: Point & { radius_m: number }; units: [string, number, number][]; blocks: Block[] }[];
export const DEMO_REPS = ['asha.k', 'rahul.m', 'priya.s', 'vikram.r', 'neha.j'];
export const REPS = DEMO_REPS;
export const FIRST = ['Aarav', 'Diya', 'Kabir', 'Meera', 'Rohan', 'Ananya', 'Ishaan', 'Saanvi', 'Arjun', 'Kavya', 'Dev', 'Riya', 'Nikhil', 'Tara', 'Yash', 'Zoya'];
export const LAST = ['Sharma', 'Iyer', 'Reddy', 'Patel', 'Nair', 'Gupta', 'Menon', 'Das', 'Kapoor', 'Singh', 'Rao', 'Joshi'];
export const COMPANIES = [null, null, null, 'Infosys', 'Tata Steel', 'Wipro', 'HDFC Bank', 'Self-employed', 'Apollo Hospitals'];
export const LOSS_REASONS = ['Budget mismatch', 'Chose another project', 'Location not suitable', 'Loan not approved', 'Stopped responding'];
