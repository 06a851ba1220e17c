import { describe, expect, it } from 'vitest';

import { chatTurns } from './fields';
import { CLASSIFY, PREFERENCE } from './fixtures';
import { layoutOf } from './layout';

describe('layoutOf', () => {
  it('puts a preference pair side by side after the prompt', () => {
    const l = layoutOf(PREFERENCE);
    expect(l.lead.map((f) => f.name)).toEqual(['prompt']);
    expect([l.pair?.a.name, l.pair?.b.name]).toEqual(['response_a', 'response_b']);
    expect(l.rest).toEqual([]);
  });

  it('finds an _a/_b pair without an export mapping', () => {
    const t = { ...PREFERENCE, export: undefined, fields: [...PREFERENCE.fields, { name: 'note', type: 'text' as const }] };
    const l = layoutOf(t);
    expect(l.pair?.b.name).toBe('response_b');
    expect(l.rest.map((f) => f.name)).toEqual(['note']);
  });

  it('keeps every field in order without a preference question', () => {
    expect(layoutOf(CLASSIFY)).toEqual({ lead: CLASSIFY.fields, pair: null, rest: [] });
  });
});

describe('chatTurns', () => {
  it('keeps well-formed turns only', () => {
    expect(chatTurns([{ role: 'user', content: 'hi' }, { role: 'root', content: 'x' }, 'junk', { role: 'assistant', content: 'hello' }])).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ]);
    expect(chatTurns('not a list')).toEqual([]);
  });
});
