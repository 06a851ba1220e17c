import { describe, expect, it } from 'vitest';

import { lineText } from './statement';

describe('statement lines', () => {
  it('say what a line paid for', () => {
    expect(lineText({ kind: 'decision', outcome: 'auto_accepted' })).toBe('Accepted answer (after the approval window)');
    expect(lineText({ kind: 'decision', outcome: 'rejected_quality' })).toContain('your time is paid');
    expect(lineText({ kind: 'payout', outcome: null })).toBe('Paid out to you');
    expect(lineText({ kind: 'new_kind', outcome: null })).toBe('new kind');
  });
});
