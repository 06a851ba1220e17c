import { describe, expect, it } from 'vitest';

import type { ProjectProgress } from '../api/lab';
import { durationParts, formatEta, formatThroughput, progressOf, shares } from './progress';

const PROGRESS: ProjectProgress = {
  items: 40,
  complete: 10,
  in_progress: 4,
  remaining: 26,
  remaining_judgments: 80,
  submissions: 35,
  submissions_last_hour: 6,
  submissions_last_day: 30,
  throughput_per_hour: 6,
  estimated_completion: '2026-12-06T15:00:00Z',
  as_of: '2026-12-06T10:00:00Z',
};

describe('progressOf', () => {
  it("reads the server's progress when there is one", () => {
    const v = progressOf({ progress: PROGRESS, counts: { items: 1, gold_items: 0, complete_items: 0, submissions: 0 } });
    expect(v).toMatchObject({ items: 40, complete: 10, inProgress: 4, remaining: 26, remainingJudgments: 80, throughputPerHour: 6 });
  });
  it('falls back to the counts, which know nothing of leases or pace', () => {
    const v = progressOf({ counts: { items: 3, gold_items: 1, complete_items: 1, submissions: 6 } });
    expect(v).toMatchObject({ items: 3, complete: 1, inProgress: null, remaining: 2, remainingJudgments: null, submissions: 6, throughputPerHour: null, asOf: null });
  });
  it('has nothing to show without either', () => {
    expect(progressOf({})).toBeNull();
  });
});

describe('shares', () => {
  it('splits the bar into done, in progress and the rest', () => {
    expect(shares(progressOf({ progress: PROGRESS })!)).toEqual({ complete: 25, inProgress: 10, remaining: 65 });
    expect(shares(progressOf({ progress: { ...PROGRESS, items: 0, complete: 0, in_progress: 0, remaining: 0 } })!)).toEqual({
      complete: 0,
      inProgress: 0,
      remaining: 0,
    });
  });
});

describe('formatThroughput', () => {
  it('says per hour, or per day below one an hour', () => {
    expect(formatThroughput(12.4)).toBe('12 judgments an hour');
    expect(formatThroughput(2.54)).toBe('2.5 judgments an hour');
    expect(formatThroughput(0.25)).toBe('6 judgments a day');
    expect(formatThroughput(null)).toBe('no judgments yet');
    expect(formatThroughput(0)).toBe('none in the last day');
  });
});

describe('formatEta', () => {
  const now = new Date('2026-12-06T10:00:00Z');
  const v = progressOf({ progress: PROGRESS })!;
  it('picks minutes, hours or days', () => {
    expect(durationParts(20 * 60_000)).toEqual({ value: 20, unit: 'minute' });
    expect(durationParts(5 * 3_600_000)).toEqual({ value: 5, unit: 'hour' });
    expect(durationParts(4 * 86_400_000)).toEqual({ value: 4, unit: 'day' });
    expect(formatEta(v, now)).toMatch(/5 hours/);
  });
  it('says why there is no estimate', () => {
    expect(formatEta({ ...v, remaining: 0 }, now)).toBe('done');
    expect(formatEta({ ...v, items: 0 }, now)).toBe('no items yet');
    expect(formatEta({ ...v, estimatedCompletion: null, throughputPerHour: 0 }, now)).toBe('no judgments in the last day');
    expect(formatEta({ ...v, estimatedCompletion: null, throughputPerHour: null }, now)).toBe('after the first judgments');
    expect(formatEta({ ...v, estimatedCompletion: null, asOf: null }, now)).toBe('no estimate');
    expect(formatEta({ ...v, estimatedCompletion: '2026-12-06T09:00:00Z' }, now)).toBe('any moment now');
  });
});
