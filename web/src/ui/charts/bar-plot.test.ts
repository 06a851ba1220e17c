import { describe, expect, it } from 'vitest';
import type uPlot from 'uplot';

import { barPlotOptions, crowded, defaultRange, xTicks } from './bar-plot';

const SPEC = {
  labels: ['label', 'confidence'],
  values: [0.81, null],
  yLabel: 'Agreement',
  formatY: (v: number) => v.toFixed(1),
  formatValue: (v: number) => v.toFixed(2),
  width: 600,
  pxRatio: 1,
  height: 200,
  colors: { bar: '#000', ink: '#111', grid: '#222' },
};

describe('bar plot', () => {
  it('starts bars at zero and leaves room above the highest', () => {
    expect(defaultRange([0.5, null, 2])).toEqual([0, 2.2]);
    expect(defaultRange([-0.5, 1])).toEqual([-0.55, 1.1]);
    expect(defaultRange([null])).toEqual([0, 1]);
  });

  it('turns the names of many or long categories', () => {
    expect(crowded(['a', 'b'], 600)).toBe(false);
    expect(crowded(Array.from({ length: 10 }, () => '0.95–0.99'), 400)).toBe(true);
  });

  it('puts one bar per category, named on the x axis', () => {
    const bars = (() => null) as unknown as uPlot.Series.PathBuilder;
    const opts = barPlotOptions({ ...SPEC, yRange: [-1, 1] }, bars);
    expect(opts.scales?.x?.range).toEqual([-0.5, 1.5]);
    expect(opts.scales?.y?.range).toEqual([-1, 1]);
    const x = opts.axes![0]!;
    const splits = (x.splits as () => number[])();
    expect(splits).toEqual([0, 1]);
    const values = x.values as (u: unknown, s: number[]) => string[];
    expect(values(null, splits)).toEqual(['label', 'confidence']);
    expect(values(null, [1])).toEqual(['confidence']);
    const y = opts.axes![1]!.values as (u: unknown, s: number[]) => string[];
    expect(y(null, [0, 0.5])).toEqual(['0.0', '0.5']);
    expect(opts.series[1]?.paths).toBe(bars);
  });

  it("writes a histogram's edges at the bars' boundaries", () => {
    expect(xTicks({ labels: ['0–0.5', '0.5–1'], edgeLabels: ['0', '0.5', '1'] })).toEqual({ at: [-0.5, 0.5, 1.5], names: ['0', '0.5', '1'] });
    expect(xTicks({ labels: ['a', 'b'] })).toEqual({ at: [0, 1], names: ['a', 'b'] });
  });
});
