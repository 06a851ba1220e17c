import { describe, expect, it } from 'vitest';

import type { Template } from '../api/template';
import { SCORED } from './fixtures';
import type { ScoreSummary } from '../api/review';
import { allOptional, describeQuestion, formTemplate, scoreText, scoreTemplate, starterForm } from './review-form';

const T = SCORED;
const SFT: Template = { fields: [{ name: 'prompt', type: 'text' }], questions: [{ name: 'response', type: 'text' }] };

describe('the review form', () => {
  it('defaults to the template’s rubric and rating questions, all optional', () => {
    const s = scoreTemplate(T)!;
    expect(s.questions.map((q) => q.name)).toEqual(['quality', 'grade']);
    expect(s.questions.every((q) => q.required === false)).toBe(true);
    expect(scoreTemplate(SFT)).toBeNull();
  });

  it('is a template of questions only, or nothing', () => {
    expect(formTemplate(null)).toBeNull();
    expect(formTemplate({ questions: [] })).toBeNull();
    expect(formTemplate({ questions: [{ name: 'ok', type: 'label', options: ['yes', 'no'] }] })).toEqual({ fields: [], questions: [{ name: 'ok', type: 'label', options: ['yes', 'no'] }] });
    expect(allOptional(formTemplate({ questions: [{ name: 'ok', type: 'text', required: true }] })!).questions[0]?.required).toBe(false);
  });

  it('starts a lab’s form from the template’s own questions, else a rubric for written work', () => {
    expect(starterForm(T).questions.map((q) => [q.name, q.required])).toEqual([
      ['quality', true],
      ['grade', true],
    ]);
    const rubric = starterForm(SFT).questions[0];
    expect(rubric?.type === 'rubric' && rubric.criteria.map((c) => c.name)).toEqual(['correct', 'complete', 'clarity']);
  });

  it('says what each question asks and what reviewers scored', () => {
    expect(describeQuestion({ name: 'g', type: 'rubric', criteria: [{ name: 'right', title: 'Right', kind: 'pass_fail' }, { name: 'depth', kind: 'points', max_points: 3 }] })).toBe(
      'Right (pass or fail), depth (0–3 points) · required',
    );
    expect(describeQuestion({ name: 'r', type: 'rating', min: 1, max: 5, required: false })).toBe('a rating from 1 to 5');
    const base: ScoreSummary = { question: 'q', criterion: null, title: 'Q', kind: 'pass_fail', answered: 4, mean: 0.75, min: null, max: null };
    expect(scoreText(base)).toBe('75% passed');
    expect(scoreText({ ...base, kind: 'points', mean: 2.25, min: 0, max: 3 })).toBe('mean 2.3 (0 to 3)');
    expect(scoreText({ ...base, kind: 'label', mean: null, counts: [{ option: 'yes', count: 3 }, { option: 'no', count: 1 }] })).toBe('yes 3 · no 1');
    expect(scoreText({ ...base, answered: 0, mean: null })).toBe('not scored yet');
    expect(scoreText({ ...base, kind: 'text', mean: null })).toBe('4 answered');
  });
});
