import { describe, expect, it } from 'vitest';

import { answerFromDraft, cleanAnswer, errorsFromDetails, moveRank, toggleOption, validateAnswer } from './answer';
import { CLASSIFY, EVERY_TYPE, PREFERENCE } from './fixtures';

describe('validateAnswer', () => {
  it('asks for required questions only', () => {
    expect(validateAnswer(CLASSIFY, {})).toEqual({ label: 'This question needs an answer.' });
    expect(validateAnswer(CLASSIFY, { label: 'correct' })).toEqual({});
  });

  it('checks a preference the way the server does', () => {
    expect(validateAnswer(PREFERENCE, { preference: { choice: 'A' } }).preference).toBe('Say how strongly, 1 to 3.');
    expect(validateAnswer(PREFERENCE, { preference: { choice: 'A', strength: 2 } })).toEqual({});
    expect(validateAnswer(PREFERENCE, { preference: { choice: 'tie' } })).toEqual({});
    const noTie = { ...PREFERENCE, questions: [{ name: 'p', type: 'preference' as const, allow_tie: false }] };
    expect(validateAnswer(noTie, { p: { choice: 'tie' } }).p).toBe('Choose A or B.');
  });

  it('checks bounds of every other type', () => {
    const errors = validateAnswer(EVERY_TYPE, { order: ['x'], grade: { right: true }, answer: 'ab', n: 2.5 });
    expect(errors).toEqual({
      order: 'Rank every option.',
      grade: 'Grade “depth”.',
      answer: 'Write at least 3 characters (2 so far).',
      n: 'Enter a whole number.',
    });
    expect(validateAnswer(EVERY_TYPE, { order: ['z', 'x', 'y'], grade: { right: false, depth: 3 }, answer: 'ÄÖÜ', n: 10 })).toEqual({});
    expect(validateAnswer(EVERY_TYPE, { order: ['z', 'x', 'y'], grade: { right: false, depth: 4 }, answer: 'x'.repeat(11), n: Number.NaN })).toEqual({
      grade: '“depth” takes 0 to 3 points.',
      answer: 'Write at most 10 characters (11 now).',
      n: 'Enter a number.',
    });
    expect(validateAnswer(CLASSIFY, { label: 'correct', tags: ['algebra', 'analysis', 'geometry'] }).tags).toBe('Choose at most 2.');
  });

  it('counts an empty text as unanswered', () => {
    expect(validateAnswer(PREFERENCE, { preference: { choice: 'tie' }, rationale: '' })).toEqual({});
    expect(cleanAnswer(PREFERENCE, { preference: { choice: 'tie' }, rationale: '' })).toEqual({ preference: { choice: 'tie' } });
  });
});

describe('drafts and server errors', () => {
  it('takes back only the template questions of a draft', () => {
    expect(answerFromDraft(CLASSIFY, { label: 'unsure', stray: 1 })).toEqual({ label: 'unsure' });
    expect(answerFromDraft(CLASSIFY, null)).toEqual({});
    expect(answerFromDraft(CLASSIFY, ['label'])).toEqual({});
  });

  it('maps 422 details onto questions', () => {
    expect(errorsFromDetails([{ field: 'answer.label', code: 'not_an_option', message: 'no' }, { field: 'other', code: 'x' }])).toEqual({ label: 'no' });
  });
});

describe('list helpers', () => {
  it('toggles options in the options order', () => {
    expect(toggleOption(['a', 'b', 'c'], ['c'], 'a')).toEqual(['a', 'c']);
    expect(toggleOption(['a', 'b', 'c'], ['a', 'c'], 'a')).toEqual(['c']);
  });

  it('moves a ranked entry and ignores moves off the ends', () => {
    expect(moveRank(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveRank(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
  });
});
