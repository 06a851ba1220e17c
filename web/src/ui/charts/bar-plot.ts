// The uPlot options of a bar chart over named categories (questions, histogram bins): the bars
// stand at 0, 1, 2, … and the x axis writes each one's name.
import type uPlot from 'uplot';

export interface BarPlotSpec {
  /** One name per bar, written under it; or, with `edgeLabels`, not written at all. */
  labels: readonly string[];
  /** For a histogram: the bins' n + 1 edges, written at the bars' boundaries. */
  edgeLabels?: readonly string[];
  values: readonly (number | null)[];
  /** The y range; by default from 0 (or the lowest value, when negative) to a little above the
   * highest. */
  yRange?: readonly [number, number];
  yLabel: string;
  formatY: (v: number) => string;
  /** Each bar's value as written above it. */
  formatValue: (v: number) => string;
  /** Whether the y axis steps in whole numbers (counts). */
  integerY?: boolean;
  /** Whether a bar of 0 gets its value written (an agreement of 0 does; an empty bin does not). */
  labelZero?: boolean;
  width: number;
  /** Canvas pixels per CSS pixel. */
  pxRatio: number;
  height: number;
  colors: { bar: string; ink: string; grid: string };
}

/** The y range that shows every bar from its base at 0. */
export function defaultRange(values: readonly (number | null)[]): [number, number] {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = Math.min(0, ...finite);
  const hi = Math.max(0, ...finite);
  if (lo === hi) return [0, 1];
  return [lo < 0 ? lo * 1.1 : 0, hi > 0 ? hi * 1.1 : 0];
}

/** Whether the x axis's names need turning to fit: more than one per `px` pixels. */
export function crowded(labels: readonly string[], width: number, px = 7): boolean {
  const widest = Math.max(0, ...labels.map((l) => l.length));
  return labels.length * widest * px > width * 0.85;
}

/** Where the x axis writes its names, and what: under each bar, or at the bins' edges. */
export function xTicks(spec: Pick<BarPlotSpec, 'labels' | 'edgeLabels'>): { at: number[]; names: string[] } {
  if (spec.edgeLabels) return { at: spec.edgeLabels.map((_, i) => i - 0.5), names: [...spec.edgeLabels] };
  return { at: spec.labels.map((_, i) => i), names: [...spec.labels] };
}

const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Writes each bar's value above it. */
function drawValues(spec: BarPlotSpec) {
  return (u: uPlot) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.font = `${Math.round(11 * spec.pxRatio)}px ${FONT_FAMILY}`;
    ctx.fillStyle = spec.colors.ink;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    spec.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v) || (v === 0 && spec.labelZero === false)) return;
      const x = u.valToPos(i, 'x', true);
      const y = u.valToPos(Math.max(v, 0), 'y', true);
      ctx.fillText(spec.formatValue(v), x, y - 3 * spec.pxRatio);
    });
    ctx.restore();
  };
}

export function barPlotOptions(spec: BarPlotSpec, bars: uPlot.Series.PathBuilder): uPlot.Options {
  const n = spec.labels.length;
  const ticks = xTicks(spec);
  const nameAt = new Map(ticks.at.map((x, k) => [x, ticks.names[k] ?? '']));
  const font = `12px ${FONT_FAMILY}`;
  const turn = crowded(ticks.names, spec.width);
  const [lo, hi] = spec.yRange ?? defaultRange(spec.values);
  return {
    width: spec.width,
    height: spec.height,
    padding: [18, 12, 0, 0],
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: [-0.5, n - 0.5] },
      y: { range: [lo, hi] },
    },
    axes: [
      {
        stroke: spec.colors.ink,
        font,
        grid: { show: false },
        ticks: { show: false },
        splits: () => ticks.at,
        values: (_u, splits) => splits.map((x) => nameAt.get(x) ?? ''),
        rotate: turn ? -35 : 0,
        size: turn ? 70 : 30,
      },
      {
        stroke: spec.colors.ink,
        font,
        label: spec.yLabel,
        labelFont: font,
        grid: { stroke: spec.colors.grid, width: 1 },
        ticks: { show: false },
        values: (_u, splits) => splits.map((v) => spec.formatY(v)),
        ...(spec.integerY ? { incrs: WHOLE_STEPS } : {}),
        size: 48,
      },
    ],
    series: [
      {},
      {
        label: spec.yLabel,
        fill: spec.colors.bar,
        stroke: spec.colors.bar,
        width: 0,
        paths: bars,
        points: { show: false },
        fillTo: 0,
      },
    ],
    hooks: { draw: [drawValues(spec)] },
  };
}
