// A histogram: values counted into bins between `edges`, drawn as a bar per bin.
import { useMemo } from 'preact/hooks';

import { BarChart } from './BarChart';
import { binLabel, histogram } from './histogram';

export function Histogram({
  caption,
  values,
  edges,
  xLabel,
  countLabel,
  formatEdge,
  summary,
}: {
  caption: string;
  values: readonly number[];
  edges: readonly number[];
  /** What is binned ("Skill"). */
  xLabel: string;
  /** What is counted ("Experts"). */
  countLabel: string;
  formatEdge?: (n: number) => string;
  summary?: string;
}) {
  const bins = useMemo(() => histogram(values, edges), [values, edges]);
  return (
    <BarChart
      caption={caption}
      labels={bins.map((b) => binLabel(b, formatEdge))}
      edgeLabels={edges.map((e) => (formatEdge ?? String)(e))}
      values={bins.map((b) => b.count)}
      xLabel={xLabel}
      yLabel={countLabel}
      formatY={String}
      integerY
      formatValue={String}
      labelZero={false}
      summary={summary}
    />
  );
}
