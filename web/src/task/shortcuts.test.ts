import { describe, expect, it } from 'vitest';

import { CLASSIFY, PREFERENCE } from './fixtures';
import { keyAction, type KeyInput } from './shortcuts';

const key = (k: string, more: Partial<KeyInput> = {}): KeyInput => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, typing: false, focused: null, ...more,
});

describe('keyAction', () => {
  it('gives digits to the first question waiting for one', () => {
    expect(keyAction(CLASSIFY, {}, key('2'))).toEqual({ kind: 'set', question: 'label', value: 'incorrect' });
    expect(keyAction(CLASSIFY, { label: 'correct' }, key('4'))).toEqual({ kind: 'set', question: 'confidence', value: 4 });
    expect(keyAction(CLASSIFY, {}, key('9'))).toEqual({ kind: 'none' });
  });

  it('gives digits to the focused question', () => {
    expect(keyAction(CLASSIFY, {}, key('1', { focused: 'tags' }))).toEqual({ kind: 'set', question: 'tags', value: ['algebra'] });
    expect(keyAction(CLASSIFY, { tags: ['algebra', 'geometry'] }, key('1', { focused: 'tags' }))).toEqual({ kind: 'set', question: 'tags', value: ['geometry'] });
  });

  it('chooses a preference by A, B and T, then its strength by digit', () => {
    expect(keyAction(PREFERENCE, {}, key('a'))).toEqual({ kind: 'set', question: 'preference', value: { choice: 'A' } });
    expect(keyAction(PREFERENCE, { preference: { choice: 'A' } }, key('3'))).toEqual({
      kind: 'set', question: 'preference', value: { choice: 'A', strength: 3 },
    });
    expect(keyAction(PREFERENCE, { preference: { choice: 'A', strength: 3 } }, key('B'))).toEqual({
      kind: 'set', question: 'preference', value: { choice: 'B', strength: 3 },
    });
    expect(keyAction(PREFERENCE, { preference: { choice: 'A', strength: 2 } }, key('t'))).toEqual({
      kind: 'set', question: 'preference', value: { choice: 'tie' },
    });
    expect(keyAction(PREFERENCE, {}, key('4'))).toEqual({ kind: 'none' });
  });

  it('leaves typing alone but submits on Ctrl+Enter anywhere', () => {
    expect(keyAction(PREFERENCE, {}, key('a', { typing: true }))).toEqual({ kind: 'none' });
    expect(keyAction(PREFERENCE, {}, key('Enter', { typing: true, ctrlKey: true }))).toEqual({ kind: 'submit' });
    expect(keyAction(PREFERENCE, {}, key('Enter'))).toEqual({ kind: 'none' });
  });

  it('opens help, guidelines and skip', () => {
    expect(keyAction(CLASSIFY, {}, key('?'))).toEqual({ kind: 'help' });
    expect(keyAction(CLASSIFY, {}, key('g'))).toEqual({ kind: 'guidelines' });
    expect(keyAction(CLASSIFY, {}, key('S'))).toEqual({ kind: 'skip' });
    expect(keyAction(CLASSIFY, {}, key('s', { ctrlKey: true }))).toEqual({ kind: 'none' });
  });
});
