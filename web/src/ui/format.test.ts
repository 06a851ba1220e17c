import { describe, expect, it } from 'vitest';

import { formatDuration, formatTime, percent } from './format';

describe('format', () => {
  it('reads API times and keeps text that is not one', () => {
    expect(formatTime('2026-12-06T03:02:54Z')).toMatch(/2026/);
    expect(formatTime('not a time')).toBe('not a time');
  });
  it('gives whole percentages, 0% of nothing', () => {
    expect(percent(1, 3)).toBe('33%');
    expect(percent(3, 3)).toBe('100%');
    expect(percent(0, 0)).toBe('0%');
  });
  it('shows durations as m:ss, or h:mm:ss from an hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
