// A project's workforce as the lab reads it: the qualification mix as bars, and each expert's
// row in words and numbers (by pseudonym only).
import type { Workforce, WorkforceExpert } from '../api/lab';

export interface MixBar {
  label: string;
  experts: number;
  /** Share of all experts, 0..100. */
  percent: number;
}

export function mixBars(w: Pick<Workforce, 'mix'>): MixBar[] {
  const total = w.mix.reduce((n, m) => n + m.experts, 0);
  return w.mix.map((m) => ({
    label: m.level === null ? 'no qualification' : `${m.level}: ${m.level_name ?? ''}`.trim(),
    experts: m.experts,
    percent: total === 0 ? 0 : Math.round((100 * m.experts) / total),
  }));
}

const GROUNDS: Record<string, string> = { exam: 'exam', credential: 'verified credential', operator: 'operator decision' };

export function qualificationText(e: WorkforceExpert, domainTitle: (n: string) => string): string {
  const q = e.qualification;
  if (!q) return 'none';
  return `${domainTitle(q.domain)}, ${q.level_name} (${GROUNDS[q.grounds] ?? q.grounds})`;
}

/** A share as a whole percentage, or a dash when unknown. */
export function percentOrDash(x: number | null): string {
  return x === null ? '–' : `${Math.round(x * 100)}%`;
}

/** A skill estimate to two places, or a dash when unknown. */
export function skillText(x: number | null): string {
  return x === null ? '–' : x.toFixed(2);
}
