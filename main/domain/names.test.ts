import { describe, expect, it } from 'vitest';
import { label } from './names.js';

// Issue 18: labels made from stored values read as people write them.
describe('labels', () => {
  it('turn stored values into words, spelling names as their makers do', () => {
    expect(['sms', 'whatsapp', 'sms_sent', 'site_visit', 'call_made', 'new', 'expected_roi'].map(label))
      .toEqual(['SMS', 'WhatsApp', 'SMS sent', 'Site visit', 'Call made', 'New', 'Expected ROI']);
    expect(label(null)).toBe('—');
  });
});
