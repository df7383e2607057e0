import { describe, expect, it } from 'vitest';
import { label, roiText } from './names.js';

// Labels made from stored values read as people write them.
describe('labels', () => {
  it('turn stored values into words, spelling names as their makers do', () => {
    expect(['sms', 'whatsapp', 'sms_sent', 'site_visit', 'call_made', 'new', 'expected_roi'].map(label))
      .toEqual(['SMS', 'WhatsApp', 'SMS sent', 'Site visit', 'Call made', 'New', 'Expected ROI']);
    expect(label(null)).toBe('—');
  });
});

describe('roiText (issue 18)', () => {
  it('reads a percentage: one decimal up to 999.9%, whole beyond, in the locale\'s grouping', () => {
    expect(roiText(250.456)).toBe('250.5%');
    expect(roiText(-40)).toBe('-40%');
    expect(roiText(999.94)).toBe('999.9%');
    expect(roiText(107751.5)).toBe('1,07,752%');
    expect(roiText(12050.4, 'en-US')).toBe('12,050%');
    expect(roiText(null)).toBe('—');
  });
});
