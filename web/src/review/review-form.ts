// The review form: what a reviewer answers about an answer (questions in the template's types).
// A project without a form of its own has its template's rubric and rating questions, each
// optional; the lab can write one, for example a rubric for SFT demonstrations.
import type { ReviewForm, ScoreSummary } from '../api/review';
import type { Question, Template } from '../api/template';

/** The template's rubric and rating questions, every one optional; null when it has none. */
export function scoreTemplate(template: Template): Template | null {
  const questions: Question[] = template.questions.filter((q) => q.type === 'rubric' || q.type === 'rating').map((q) => ({ ...q, required: false }));
  return questions.length > 0 ? { fields: [], questions } : null;
}

/** A form as a template the answer form and its checks take; null when there is nothing to score. */
export function formTemplate(form: ReviewForm | null): Template | null {
  return form && form.questions.length > 0 ? { fields: [], questions: form.questions } : null;
}

/** The same questions, none required (rework does not need the scores). */
export function allOptional(t: Template): Template {
  return { ...t, questions: t.questions.map((q) => ({ ...q, required: false })) };
}

/** Where a lab's new form starts: the template's own rubric and rating questions when it has
 * some, otherwise a rubric for written work. */
export function starterForm(template: Template): ReviewForm {
  const own = scoreTemplate(template);
  if (own) return { questions: own.questions.map((q) => ({ ...q, required: true })) };
  return {
    questions: [
      {
        name: 'quality',
        type: 'rubric',
        title: 'Quality',
        required: true,
        criteria: [
          { name: 'correct', title: 'Correct', kind: 'pass_fail' },
          { name: 'complete', title: 'Complete', kind: 'pass_fail' },
          { name: 'clarity', title: 'Clarity', kind: 'points', max_points: 3 },
        ],
      },
    ],
  };
}

/** One question of a form in words: its type's settings and whether it is required. */
export function describeQuestion(q: Question): string {
  let what: string;
  switch (q.type) {
    case 'rubric':
      what = q.criteria.map((c) => `${c.title || c.name} (${c.kind === 'points' ? `0–${c.max_points} points` : 'pass or fail'})`).join(', ');
      break;
    case 'rating':
      what = `a rating from ${q.min} to ${q.max}`;
      break;
    case 'label':
      what = `one of ${q.options.join(', ')}`;
      break;
    case 'multi_label':
      what = `any of ${q.options.join(', ')}`;
      break;
    case 'text':
      what = 'a written note';
      break;
    default:
      what = q.type.replace('_', ' ');
  }
  return `${what}${q.required === false ? '' : ' · required'}`;
}

function round1(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** What reviewers scored on one question (criterion), in words. */
export function scoreText(s: ScoreSummary): string {
  if (s.answered === 0) return 'not scored yet';
  switch (s.kind) {
    case 'pass_fail':
      return `${Math.round((s.mean ?? 0) * 100)}% passed`;
    case 'points':
    case 'rating':
      return `mean ${round1(s.mean ?? 0)} (${s.min ?? 0} to ${s.max ?? 0})`;
    case 'number':
      return `mean ${round1(s.mean ?? 0)}`;
    case 'label':
    case 'multi_label':
      return (s.counts ?? []).map((c) => `${c.option} ${c.count}`).join(' · ');
    default:
      return `${s.answered} answered`;
  }
}
