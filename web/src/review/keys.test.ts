import { describe, expect, it } from 'vitest';

import type { Template } from '../api/template';
import { duplicateKeys, REVIEW_SHORTCUTS, reviewKey, type ReviewKeyInput } from './keys';

const key = (k: string, more: Partial<ReviewKeyInput> = {}): ReviewKeyInput => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, typing: false, dialog: false, focused: null, ...more,
});

const SCORES: Template = {
  fields: [],
  questions: [
    { name: 'helpful', type: 'rating', min: 1, max: 5, required: false },
    { name: 'grade', type: 'rubric', criteria: [{ name: 'right', kind: 'pass_fail' }], required: false },
  ],
};

describe('the reviewer’s keyboard', () => {
  it('maps a, r, w and n to their decisions and N to next', () => {
    expect(reviewKey(key('a'), null)).toEqual({ kind: 'command', command: 'accept' });
    expect(reviewKey(key('R'), null)).toEqual({ kind: 'command', command: 'reject' });
    expect(reviewKey(key('w'), null)).toEqual({ kind: 'command', command: 'rework' });
    expect(reviewKey(key('n'), null)).toEqual({ kind: 'command', command: 'next' });
    expect(reviewKey(key('g'), null)).toEqual({ kind: 'command', command: 'guidelines' });
    expect(reviewKey(key('?'), null)).toEqual({ kind: 'command', command: 'help' });
  });

  it('stays quiet while the reviewer types or a dialog is open, except Ctrl + Enter while typing', () => {
    expect(reviewKey(key('a', { typing: true }), null)).toEqual({ kind: 'none' });
    expect(reviewKey(key('a', { dialog: true }), null)).toEqual({ kind: 'none' });
    expect(reviewKey(key('Enter', { ctrlKey: true, typing: true }), null)).toEqual({ kind: 'command', command: 'send' });
    expect(reviewKey(key('Enter', { metaKey: true }), null)).toEqual({ kind: 'command', command: 'send' });
    expect(reviewKey(key('Enter', { ctrlKey: true, dialog: true }), null)).toEqual({ kind: 'none' });
    expect(reviewKey(key('a', { ctrlKey: true }), null)).toEqual({ kind: 'none' });
    expect(reviewKey(key('a', { altKey: true }), null)).toEqual({ kind: 'none' });
    expect(reviewKey(key('Enter'), null)).toEqual({ kind: 'none' });
  });

  it('gives digits to the score form’s rating', () => {
    expect(reviewKey(key('4'), { template: SCORES, answer: {} })).toEqual({ kind: 'score', question: 'helpful', value: 4 });
    expect(reviewKey(key('9'), { template: SCORES, answer: {} })).toEqual({ kind: 'none' });
    expect(reviewKey(key('4'), null)).toEqual({ kind: 'none' });
  });

  it('has one action per key', () => {
    expect(duplicateKeys(REVIEW_SHORTCUTS)).toEqual([]);
    expect(duplicateKeys([...REVIEW_SHORTCUTS, { command: 'accept', key: 'n', keys: 'N', what: 'x' }])).toEqual(['n']);
  });
});
