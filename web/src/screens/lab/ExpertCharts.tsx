// How reliable the experts are, as two histograms: Dawid–Skene skill, and accuracy on gold items.
import type { QualityReport } from '../../api/lab';
import { evenEdges } from '../../ui/charts/histogram';
import { Histogram } from '../../ui/charts/Histogram';
import { formatCount } from '../../ui/format';

const TENTHS = evenEdges(0, 1, 10);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const CHARTS = [
  {
    key: 'skill',
    title: 'Expert reliability',
    caption: 'Skill: the chance of a right answer (Dawid–Skene)',
    xLabel: 'Skill',
    summary: (n: string, m: string) => `${n}; median skill ${m}.`,
    none: 'No skill yet: it comes from label, preference and pass/fail answers.',
  },
  {
    key: 'gold_accuracy',
    title: 'Gold accuracy',
    caption: 'Share of gold items answered right',
    xLabel: 'Gold accuracy',
    summary: (n: string, m: string) => `${n} answered gold items; median accuracy ${m}.`,
    none: 'No expert has answered a gold item yet.',
  },
] as const;

export function ExpertCharts({ report }: { report: QualityReport }) {
  return (
    <>
      {CHARTS.map((c) => {
        const values = report.experts.map((e) => e[c.key]).filter((v): v is number => v !== null && v !== undefined);
        const experts = `${formatCount(values.length)} expert${values.length === 1 ? '' : 's'}`;
        return (
          <section key={c.key} class="card" aria-labelledby={`${c.key}-title`}>
            <h2 id={`${c.key}-title`}>{c.title}</h2>
            {values.length > 0 ? (
              <Histogram
                caption={c.caption}
                values={values}
                edges={TENTHS}
                xLabel={c.xLabel}
                countLabel="Experts"
                summary={c.summary(experts, median(values).toFixed(2))}
              />
            ) : (
              <p class="muted">{c.none}</p>
            )}
          </section>
        );
      })}
    </>
  );
}
