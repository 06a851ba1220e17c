import { describe, expect, it } from 'vitest';

import { monthOf, periodErrors, periodText, previousMonth } from './period';

describe('statement periods', () => {
  it('covers the calendar month, both ends included', () => {
    expect(monthOf(new Date('2026-12-06T23:00:00Z'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(monthOf(new Date('2028-02-10T00:00:00Z'))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(previousMonth(new Date('2027-01-31T00:00:00Z'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('refuses a date that is not one and a period that ends before it starts', () => {
    expect(periodErrors('2026-12-01', '2026-12-31')).toEqual({});
    expect(periodErrors('2026-02-30', '2026-12-31')).toEqual({ from: 'Enter a date.' });
    expect(periodErrors('2026-12-02', '2026-12-01')).toEqual({ to: 'The period ends on or after its first day.' });
  });
});

describe('periods the API gives back', () => {
  it('show the last day included', () => {
    const day = (t: string) => t.slice(0, 10);
    expect(periodText('2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z', day)).toBe('2026-12-01 – 2026-12-31');
  });
});
