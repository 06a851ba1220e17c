import { describe, expect, it } from 'vitest';

import { formatDuration, formatSpan, formatTime, percent } from './format';

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

describe('formatSpan', () => {
  it('says a span in its two largest units', () => {
    expect(formatSpan(1800)).toBe('30 minutes');
    expect(formatSpan(86400)).toBe('1 day');
    expect(formatSpan(86400 + 6 * 3600 + 59)).toBe('1 day 6 hours');
    expect(formatSpan(61)).toBe('1 minute 1 second');
    expect(formatSpan(0)).toBe('0 seconds');
  });
});
