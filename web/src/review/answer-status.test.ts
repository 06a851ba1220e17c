import { describe, expect, it } from 'vitest';

import { statusDetail } from './answer-status';

const time = (t: string) => `<${t}>`;

describe('an answer’s status in words', () => {
  it('says when a pending answer is accepted and when rework is due', () => {
    expect(statusDetail({ status: 'pending', outcome: null, reason: null, due_at: 'D', decided_at: null }, time)).toBe(
      'Accepted automatically on <D> unless a reviewer decides first.',
    );
    expect(statusDetail({ status: 'rework', outcome: 'rework', reason: null, due_at: 'D', decided_at: null }, time)).toBe('The reviewer asks you to revise it by <D>.');
  });

  it('tells automatic from reviewed acceptance, and what a rejection means for pay', () => {
    expect(statusDetail({ status: 'accepted', outcome: 'auto_accepted', reason: null, due_at: null, decided_at: 'X' }, time)).toContain('automatically');
    expect(statusDetail({ status: 'accepted', outcome: 'accepted', reason: null, due_at: null, decided_at: 'X' }, time)).toBe('Accepted by a reviewer.');
    expect(statusDetail({ status: 'rejected', outcome: 'rejected_spam', reason: 'spam', due_at: null, decided_at: 'X' }, time)).toContain('not paid');
    expect(statusDetail({ status: 'rejected', outcome: 'rejected_quality', reason: 'quality', due_at: null, decided_at: 'X' }, time)).toContain('still paid');
  });
});
