// A template for the review's tests: a written answer, a rating and a rubric.
import type { Template } from '../api/template';

export const SCORED: Template = {
  fields: [{ name: 'prompt', type: 'text' }],
  questions: [
    { name: 'response', type: 'text' },
    { name: 'quality', type: 'rating', min: 1, max: 5 },
    { name: 'grade', type: 'rubric', criteria: [{ name: 'right', kind: 'pass_fail' }, { name: 'depth', kind: 'points', max_points: 3 }] },
  ],
};
