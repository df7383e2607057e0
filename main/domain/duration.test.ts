import { describe, expect, it } from 'vitest';
import { durationText, readDuration } from './duration.js';

// "a call's duration typed in seconds and never shown back".
describe('call durations', () => {
  it('reads a length as people type it', () => {
    expect(readDuration('5')).toEqual({ seconds: 300 });
    expect(readDuration('5:30')).toEqual({ seconds: 330 });
    expect(readDuration('1:05:00')).toEqual({ seconds: 3900 });
    expect(readDuration('2m 30s')).toEqual({ seconds: 150 });
    expect(readDuration('90s')).toEqual({ seconds: 90 });
    expect(readDuration('1h 5min')).toEqual({ seconds: 3900 });
    expect(readDuration('2.5')).toEqual({ seconds: 150 });
    expect(readDuration('five')).toEqual({ error: 'must be minutes (5), minutes and seconds (5:30), or with units (2m 30s)' });
    expect('error' in readDuration('5:75')).toBe(true);
    expect('error' in readDuration('')).toBe(true);
  });

  it('shows it back in words', () => {
    expect(durationText(45)).toBe('45 s');
    expect(durationText(300)).toBe('5 min');
    expect(durationText(330)).toBe('5 min 30 s');
    expect(durationText(3900)).toBe('1 h 5 min');
    expect(durationText(null)).toBe('—');
  });
});
