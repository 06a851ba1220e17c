import { describe, expect, it } from 'vitest';

import type { Template } from '../api/template';
import { SCORED } from './fixtures';
import { decisionBody, EMPTY_DRAFT, holdText, outcomeText, overCap } from './decision';
import { scoreTemplate } from './review-form';

const T = SCORED;
const TASK = { active_seconds: 100, time_cap_seconds: null };

describe('the review decision', () => {
  it('needs the form’s required questions to accept or reject, not to send back', () => {
    const form: Template = { fields: [], questions: [{ name: 'ok', type: 'label', options: ['yes', 'no'], required: true }] };
    const scores = { template: form, answer: {} };
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'accept' }, scores, TASK)).toEqual({ errors: { fields: {}, scores: { ok: 'This question needs an answer.' } } });
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'rework', comment: 'Add the proof.' }, scores, TASK)).toEqual({ decision: { outcome: 'rework', comment: 'Add the proof.' } });
  });

  it('needs an outcome, a reason to reject and a comment for rework', () => {
    expect(decisionBody(EMPTY_DRAFT, null, TASK)).toEqual({ errors: { fields: { outcome: 'Choose accept, reject or rework.' }, scores: {} } });
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'reject' }, null, TASK)).toEqual({
      errors: { fields: { reason: 'Say why: quality or spam.', comment: 'Tell the expert why.' }, scores: {} },
    });
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'rework', comment: '  ' }, null, TASK)).toMatchObject({ errors: { fields: { comment: 'Tell the expert what to change.' } } });
  });

  it('sends what was chosen, the comment trimmed, and only the scores given', () => {
    const scores = { template: scoreTemplate(T)!, answer: { quality: 4 } };
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'accept' }, scores, TASK)).toEqual({ decision: { outcome: 'accept', scores: { quality: 4 } } });
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'reject', reason: 'spam', comment: ' copy of the prompt ' }, null, TASK)).toEqual({
      decision: { outcome: 'reject', reason: 'spam', comment: 'copy of the prompt' },
    });
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'rework', reason: 'spam', comment: 'Cite a source.' }, { template: scoreTemplate(T)!, answer: {} }, TASK)).toEqual({
      decision: { outcome: 'rework', comment: 'Cite a source.' },
    });
  });

  it('refuses a score the template would refuse', () => {
    const scores = { template: scoreTemplate(T)!, answer: { grade: { right: true, depth: 7 } } };
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'accept' }, scores, TASK)).toEqual({ errors: { fields: {}, scores: { grade: '“depth” takes 0 to 3 points.' } } });
  });

  it('says whether time over the cap is approved, only on an acceptance and when there is some', () => {
    const capped = { active_seconds: 900, time_cap_seconds: 600 };
    expect(overCap(capped)).toBe(true);
    expect(overCap({ active_seconds: 600, time_cap_seconds: 600 })).toBe(false);
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'accept', approveOverCap: true }, null, capped)).toEqual({ decision: { outcome: 'accept', approve_over_cap: true } });
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'accept' }, null, capped)).toEqual({ decision: { outcome: 'accept', approve_over_cap: false } });
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'reject', reason: 'quality', comment: 'Wrong.', approveOverCap: true }, null, capped)).toEqual({
      decision: { outcome: 'reject', reason: 'quality', comment: 'Wrong.' },
    });
    expect(decisionBody({ ...EMPTY_DRAFT, outcome: 'rework', comment: 'Shorter.', approveOverCap: true }, null, capped)).toEqual({
      decision: { outcome: 'rework', comment: 'Shorter.' },
    });
  });

  it('puts holds and outcomes in words', () => {
    expect(holdText('speed')).toBe('Much faster than the project’s usual time.');
    expect(holdText(null)).toBe('Sent for review.');
    expect(holdText('new_kind')).toBe('Held for review (new_kind).');
    expect(outcomeText('rejected_spam')).toBe('Rejected as spam');
    expect(outcomeText('other')).toBe('other');
  });
});
