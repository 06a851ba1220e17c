// The aggregated questions of a page of items as table columns, in the template's order (a
// rubric's criteria, "<rubric>.<criterion>", in the rubric's place).
import type { Template } from '../api/template';
import type { ItemRow } from './aggregates';

export function answerColumns(template: Template, rows: readonly ItemRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const name of r.answers.keys()) names.add(name);
  const rank = (name: string) => {
    const base = name.split('.')[0]!;
    const i = template.questions.findIndex((q) => q.name === base);
    return i < 0 ? template.questions.length : i;
  };
  const criterionRank = (name: string) => {
    const [base, criterion] = name.split('.');
    const q = template.questions.find((x) => x.name === base);
    return q?.type === 'rubric' ? q.criteria.findIndex((c) => c.name === criterion) : -1;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || criterionRank(a) - criterionRank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
