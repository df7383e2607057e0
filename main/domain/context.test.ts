import { describe, expect, it } from 'vitest';
import { defaultClock } from './context.js';

describe('the app clock', () => {
  it('never gives one millisecond twice, so records written in one action keep their order', () => {
    const stamps = Array.from({ length: 2000 }, () => defaultClock().getTime());
    for (let i = 1; i < stamps.length; i += 1) expect(stamps[i]!).toBeGreaterThan(stamps[i - 1]!);
    // And it stays with real time: 2,000 calls run well within two seconds of it.
    expect(Math.abs(stamps.at(-1)! - Date.now())).toBeLessThan(2000);
  });
});
