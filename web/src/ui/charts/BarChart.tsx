// A bar chart over named categories, drawn by uPlot on a canvas, with its text alternative: the
// caption names what it shows, and the numbers are in a table that screen readers read (hidden
// from sight), or in a visible table elsewhere on the page that `describedBy` names.
import 'uplot/dist/uPlot.min.css';
import './charts.css';

import { useEffect, useRef } from 'preact/hooks';
import type uPlot from 'uplot';

import { barPlotOptions } from './bar-plot';

export interface BarChartProps {
  caption: string;
  /** One name per bar (under the bar, and in the table). */
  labels: readonly string[];
  /** For a histogram: the n + 1 bin edges, written at the bars' boundaries instead. */
  edgeLabels?: readonly string[];
  values: readonly (number | null)[];
  /** What a bar measures (the y axis's title and the table's column). */
  yLabel: string;
  /** What the categories are (the table's first column). */
  xLabel: string;
  yRange?: readonly [number, number];
  formatY?: (v: number) => string;
  /** A bar's value as written above it and in the table. */
  formatValue?: (v: number) => string;
  /** Whether a bar of 0 gets its value written above it. */
  labelZero?: boolean;
  /** Whether the y axis steps in whole numbers (counts). */
  integerY?: boolean;
  /** Shown under the chart for everyone. */
  summary?: string;
  /** The id of a visible table with the same numbers; then the chart has no hidden one. */
  describedBy?: string;
  height?: number;
}

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function BarChart({
  caption,
  labels,
  edgeLabels,
  values,
  yLabel,
  xLabel,
  yRange,
  formatY = (v) => String(Number(v.toFixed(3))),
  formatValue = formatY,
  labelZero = true,
  integerY = false,
  summary,
  describedBy,
  height = 220,
}: BarChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const key = JSON.stringify([labels, edgeLabels, values, yRange, yLabel, labelZero, integerY]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let plot: uPlot | null = null;
    let resize: ResizeObserver | null = null;
    let gone = false;
    // uPlot is loaded with the first chart, so screens without charts do not carry it.
    void import('uplot').then(({ default: UPlot }) => {
      if (gone) return;
      const colors = {
        bar: cssColor('--accent', '#1f3a5f'),
        ink: cssColor('--muted', '#56606b'),
        grid: cssColor('--line', '#d9dde2'),
      };
      const draw = (width: number) =>
        new UPlot(
          barPlotOptions(
            { labels, edgeLabels, values, yRange, yLabel, formatY, formatValue, labelZero, integerY, width, height, colors, pxRatio: UPlot.pxRatio },
            UPlot.paths.bars!({ size: [0.7, 72], gap: 2 }),
          ),
          [labels.map((_, i) => i), [...values]],
          el,
        );
      let width = Math.max(200, el.clientWidth);
      plot = draw(width);
      resize = new ResizeObserver(() => {
        const w = Math.max(200, el.clientWidth);
        if (Math.abs(w - width) < 2) return;
        width = w;
        // The axis's names may need turning at the new width, so the plot is drawn anew.
        plot?.destroy();
        plot = draw(width);
      });
      resize.observe(el);
    });
    return () => {
      gone = true;
      resize?.disconnect();
      plot?.destroy();
    };
    // formatY is a display function; the chart follows its data, not its identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, height]);

  return (
    <figure class="chart" aria-describedby={describedBy}>
      <figcaption class="chart-caption">{caption}</figcaption>
      <div class="chart-canvas" ref={box} aria-hidden="true" />
      {summary && <p class="chart-summary">{summary}</p>}
      {!describedBy && (
        // A table is never narrower than its content, so the hiding box is a div around it.
        <div class="sr-only">
          <table>
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{xLabel}</th>
                <th scope="col">{yLabel}</th>
              </tr>
            </thead>
            <tbody>
              {labels.map((label, i) => {
                const v = values[i];
                return (
                  <tr key={i}>
                    <th scope="row">{label}</th>
                    <td>{v === null || v === undefined ? 'none' : formatValue(v)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}
