import { describe, expect, it } from 'vitest';

import { adjustmentEffect, adjustmentRequest, createSubmissionKeys, EMPTY_ADJUSTMENT, parseTarget, targetValue, type Target } from './adjustment';

const ADA = targetValue({ type: 'expert', id: 'usr_ada' });
const MERIDIAN = targetValue({ type: 'lab', id: 'org_mer' });
const NAMES: Record<string, string> = { usr_ada: 'Ada Lovelace', org_mer: 'Meridian AI' };
const nameOf = (t: Target) => NAMES[t.id];

describe('a bonus or an adjustment', () => {
  it('sends a bonus to an expert in minor units, the reason trimmed', () => {
    expect(adjustmentRequest({ kind: 'bonus', to: ADA, amount: '12.5', currency: 'usd', reason: ' Careful proofs ' })).toEqual({
      request: { expert_id: 'usr_ada', amount_minor: 1250, currency: 'USD', reason: 'Careful proofs', kind: 'bonus' },
    });
    expect(adjustmentRequest({ kind: 'bonus', to: ADA, amount: '1500', currency: 'JPY', reason: 'x' })).toMatchObject({ request: { amount_minor: 1500 } });
  });

  it('sends a lab’s credit as a negative adjustment under org_id', () => {
    expect(adjustmentRequest({ kind: 'adjustment', to: MERIDIAN, amount: '-7,50', currency: 'EUR', reason: 'goodwill' })).toEqual({
      request: { org_id: 'org_mer', amount_minor: -750, currency: 'EUR', reason: 'goodwill', kind: 'adjustment' },
    });
  });

  it('names each field that is wrong by the server’s name for it', () => {
    expect(adjustmentRequest(EMPTY_ADJUSTMENT)).toEqual({
      errors: { expert_id: 'Choose the expert or lab it is for.', amount_minor: 'Enter an amount in USD, like 12.50.', reason: 'Say why.' },
    });
    expect(adjustmentRequest({ kind: 'bonus', to: MERIDIAN, amount: '-5', currency: 'US', reason: 'x' })).toEqual({
      errors: { kind: expect.stringContaining('for a lab, post an adjustment'), currency: 'Enter a currency code, like USD.' },
    });
    expect(adjustmentRequest({ kind: 'bonus', to: ADA, amount: '-5', currency: 'USD', reason: 'x' })).toEqual({ errors: { amount_minor: expect.stringContaining('A bonus is positive') } });
    expect(adjustmentRequest({ kind: 'adjustment', to: ADA, amount: '0.00', currency: 'USD', reason: 'x' })).toEqual({ errors: { amount_minor: 'Enter an amount other than 0.' } });
    expect(adjustmentRequest({ kind: 'adjustment', to: ADA, amount: '1.5', currency: 'JPY', reason: 'x' })).toEqual({ errors: { amount_minor: 'Enter an amount in JPY, like 12.50 or -12.50.' } });
    expect(adjustmentRequest({ kind: 'adjustment', to: ADA, amount: '10000000000000.01', currency: 'USD', reason: 'x' })).toEqual({ errors: { amount_minor: 'That is more than the ledger takes.' } });
    expect(adjustmentRequest({ kind: 'adjustment', to: ADA, amount: '1', currency: 'USD', reason: 'é'.repeat(1001) })).toEqual({ errors: { reason: expect.any(String) } });
    expect(adjustmentRequest({ kind: 'adjustment', to: ADA, amount: '1', currency: 'USD', reason: '  ' })).toEqual({ errors: { reason: 'Say why.' } });
  });

  it('keeps whom it is for in one value', () => {
    expect(parseTarget(ADA)).toEqual({ type: 'expert', id: 'usr_ada' });
    expect(parseTarget('lab:org:x')).toEqual({ type: 'lab', id: 'org:x' });
    expect(parseTarget('')).toBeNull();
    expect(parseTarget('team:x')).toBeNull();
  });

  it('says what it will do before it is posted', () => {
    const f = { ...EMPTY_ADJUSTMENT, to: ADA, amount: '12.50' };
    expect(adjustmentEffect(f, nameOf, 'en-US')).toBe('Ada Lovelace will be owed $12.50 more.');
    expect(adjustmentEffect({ ...f, kind: 'adjustment', amount: '-3' }, nameOf, 'en-US')).toBe('Ada Lovelace will be owed $3.00 less.');
    expect(adjustmentEffect({ ...f, kind: 'adjustment', to: MERIDIAN, amount: '40' }, nameOf, 'en-US')).toBe('Meridian AI will be charged $40.00 more.');
    expect(adjustmentEffect({ ...f, kind: 'adjustment', to: MERIDIAN, amount: '-40', currency: 'EUR' }, nameOf, 'en-US')).toBe('Meridian AI will be credited €40.00.');
    expect(adjustmentEffect({ ...f, amount: 'lots' }, nameOf)).toBeNull();
    expect(adjustmentEffect({ ...f, to: '' }, nameOf)).toBeNull();
    expect(adjustmentEffect({ ...f, to: 'expert:usr_gone' }, nameOf)).toBeNull();
  });
});

describe('an idempotency key per submission', () => {
  const request = { expert_id: 'usr_ada', amount_minor: 1250, currency: 'USD', reason: 'x', kind: 'bonus' as const };

  it('is the same for the same request until it is posted, so a double click posts once', () => {
    let n = 0;
    const keys = createSubmissionKeys(() => `k${++n}`);
    expect(keys.keyFor(request)).toBe('k1');
    expect(keys.keyFor({ ...request })).toBe('k1');
    keys.posted();
    expect(keys.keyFor(request)).toBe('k2');
  });

  it('is new once the request changes, so a changed amount is never taken for the first', () => {
    let n = 0;
    const keys = createSubmissionKeys(() => `k${++n}`);
    expect(keys.keyFor(request)).toBe('k1');
    expect(keys.keyFor({ ...request, amount_minor: 1300 })).toBe('k2');
    expect(keys.keyFor(request)).toBe('k3');
  });

  it('is 128 random bits by default', () => {
    const keys = createSubmissionKeys();
    expect(keys.keyFor(request)).toMatch(/^[0-9a-f]{32}$/);
  });
});
