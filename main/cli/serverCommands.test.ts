import { afterEach, describe, expect, it, vi } from 'vitest';
import { followLauncher } from './serverCommands.js';

// `npx milepost serve &` then `kill %1`: the SIGTERM reaches npm, not the server (npm → sh
// → node), so a server npx started stops when its launcher has gone; one started any
// other way keeps serving.

describe('serve follows the npx that launched it', () => {
  afterEach(() => vi.useRealTimers());

  it('stops within a second of its launcher going, and not before', () => {
    vi.useFakeTimers();
    let parent = 4242;
    const stop = vi.fn();
    followLauncher(stop, { npm_command: 'exec' }, () => parent);
    vi.advanceTimersByTime(5000);
    expect(stop).not.toHaveBeenCalled();
    parent = 1; // reparented: npx and its shell have exited
    vi.advanceTimersByTime(1000);
    expect(stop).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('outlives its parent when npx did not start it (nohup, a service manager)', () => {
    vi.useFakeTimers();
    let parent = 4242;
    const stop = vi.fn();
    followLauncher(stop, {}, () => parent);
    parent = 1;
    vi.advanceTimersByTime(5000);
    expect(stop).not.toHaveBeenCalled();
  });
});
