import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import type { LedgerTransaction } from '../api/pay';
import { accountText, canReverse, effects, kindText, reverseRefusal, sides, whoText } from './ledger-entry';

const ADA = { id: 'usr_ada', name: 'Ada Lovelace' };
const MERIDIAN = { id: 'org_mer', name: 'Meridian AI' };

function txn(over: Partial<LedgerTransaction>): LedgerTransaction {
  return {
    id: 'txn_1', kind: 'bonus', currency: 'EUR', outcome: '', reason: '', author_id: null, author: null, reverses: null, reversed_by: null,
    lab_id: null, lab: null, project_id: null, project: null, expert_id: null, expert: null, submission_id: null, seconds: null,
    created_at: '2026-12-07T03:00:00Z', postings: [], ...over,
  };
}

const DECISION = txn({
  kind: 'decision', outcome: 'accepted', expert_id: ADA.id, expert: ADA, lab_id: MERIDIAN.id, lab: MERIDIAN,
  postings: [
    { account: 'lab_receivable', owner_id: MERIDIAN.id, amount_minor: 1250 },
    { account: 'expert_payable', owner_id: ADA.id, amount_minor: -1000 },
    { account: 'platform_revenue', owner_id: null, amount_minor: -250 },
  ],
});

describe('a ledger transaction in words', () => {
  it('names its kind, a decision by its outcome', () => {
    expect(kindText(DECISION)).toBe('Accepted answer');
    expect(kindText({ kind: 'decision', outcome: 'rejected_spam' })).toBe('Answer rejected as spam');
    expect(kindText({ kind: 'decision', outcome: 'new_outcome' })).toBe('Review decision');
    expect(kindText({ kind: 'invoice_payment', outcome: '' })).toBe('Invoice payment');
    expect(kindText({ kind: 'something_new', outcome: '' })).toBe('something new');
  });

  it('names whom it concerns', () => {
    expect(whoText(DECISION)).toBe('Ada Lovelace · Meridian AI');
    expect(whoText(txn({ lab: MERIDIAN }))).toBe('Meridian AI');
    expect(whoText(txn({}))).toBe('the platform');
  });

  it('reads each posting’s account and side', () => {
    const [lab, expert, revenue] = DECISION.postings;
    expect(accountText(lab!, DECISION)).toBe('Owed by Meridian AI');
    expect(accountText(expert!, DECISION)).toBe('Owed to Ada Lovelace');
    expect(accountText(revenue!, DECISION)).toBe('Platform revenue');
    expect(accountText({ account: 'platform_cash', owner_id: null, amount_minor: 1 }, DECISION)).toBe('Platform cash');
    expect(accountText({ account: 'expert_payable', owner_id: 'usr_other', amount_minor: 1 }, DECISION)).toBe('Owed to an expert');
    expect(sides(lab!)).toEqual({ debit: 1250, credit: null });
    expect(sides(expert!)).toEqual({ debit: null, credit: 1000 });
  });

  it('says what it changed for the expert and the lab', () => {
    expect(effects(DECISION, 'en-US')).toEqual(['Meridian AI owes €12.50 more.', 'Ada Lovelace is owed €10.00 more.']);
    const payout = txn({ kind: 'payout', expert: ADA, expert_id: ADA.id, postings: [{ account: 'expert_payable', owner_id: ADA.id, amount_minor: 4000 }, { account: 'platform_cash', owner_id: null, amount_minor: -4000 }] });
    expect(effects(payout, 'en-US')).toEqual(['Ada Lovelace is owed €40.00 less.']);
    const credit = txn({ kind: 'adjustment', lab: MERIDIAN, lab_id: MERIDIAN.id, postings: [{ account: 'lab_receivable', owner_id: MERIDIAN.id, amount_minor: -500 }, { account: 'platform_revenue', owner_id: null, amount_minor: 500 }] });
    expect(effects(credit, 'en-US')).toEqual(['Meridian AI owes €5.00 less.']);
  });

  it('may be reversed once, and a reversal never', () => {
    expect(canReverse(DECISION)).toBe(true);
    expect(canReverse({ ...DECISION, reversed_by: 'txn_2' })).toBe(false);
    expect(canReverse({ ...DECISION, kind: 'reversal' })).toBe(false);
  });

  it('explains a refused reversal in words', () => {
    expect(reverseRefusal(new ApiError(409, 'conflict', 'x', 'already_reversed'))).toMatch(/reversed already/);
    expect(reverseRefusal(new ApiError(409, 'conflict', 'x', 'is_reversal'))).toMatch(/post an adjustment/);
    expect(reverseRefusal(new ApiError(422, 'unprocessable', 'reason: say why', undefined, [{ field: 'reason', code: 'required' }]))).toBeNull();
    expect(reverseRefusal(new ApiError(0, 'network', 'The server cannot be reached.'))).toBe('The server cannot be reached.');
  });
});
