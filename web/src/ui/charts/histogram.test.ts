import { describe, expect, it } from 'vitest';

import { binLabel, evenEdges, histogram } from './histogram';

describe('histogram', () => {
  it('makes even edges without floating-point dust', () => {
    expect(evenEdges(0, 1, 10)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(() => evenEdges(1, 1, 4)).toThrow();
  });

  it('counts into half-open bins, the top edge into the last bin', () => {
    const bins = histogram([0, 0.1, 0.15, 0.5, 0.99, 1], [0, 0.5, 1]);
    expect(bins).toEqual([
      { from: 0, to: 0.5, count: 3 },
      { from: 0.5, to: 1, count: 3 },
    ]);
  });

  it('clamps values outside the range and leaves out what is not a number', () => {
    const bins = histogram([-0.2, 1.4, Number.NaN, Number.POSITIVE_INFINITY], [0, 0.5, 1]);
    expect(bins.map((b) => b.count)).toEqual([1, 1]);
  });

  it('labels a bin by its edges', () => {
    expect(binLabel({ from: 0.9, to: 1, count: 2 })).toBe('0.9–1');
    expect(binLabel({ from: 0.5, to: 0.6, count: 0 }, (n) => `${n * 100}%`)).toBe('50%–60%');
  });
});
