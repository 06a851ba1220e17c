// The operator's bonus or adjustment form: whom it is for, the amount typed in the currency's
// major unit (negative for an adjustment that takes back or credits), the currency and the
// reason; the request body with errors keyed by the server's field names; what it will do, in
// words; and one idempotency key per submission.
import type { AdjustmentRequest } from '../api/pay';
import { newIdempotencyKey } from '../work/retry';
import { formatMoney, isCurrencyCode, parseSignedMoney } from './money';

export type AdjustmentKind = 'bonus' | 'adjustment';

export interface AdjustmentForm {
  kind: AdjustmentKind;
  /** "expert:<id>" or "lab:<id>" (targetValue); "" until chosen. */
  to: string;
  amount: string;
  currency: string;
  reason: string;
}

export const EMPTY_ADJUSTMENT: AdjustmentForm = { kind: 'bonus', to: '', amount: '', currency: 'USD', reason: '' };

export type Target = { type: 'expert' | 'lab'; id: string };

/** A target as the form's select keeps it. */
export function targetValue(t: Target): string {
  return `${t.type}:${t.id}`;
}

export function parseTarget(to: string): Target | null {
  const m = /^(expert|lab):(.+)$/.exec(to);
  return m ? { type: m[1] as Target['type'], id: m[2]! } : null;
}

/** The ledger's bound on an amount (pay.h kMaxAmountMinor). */
const MAX_AMOUNT_MINOR = 1e15;
const MAX_REASON_BYTES = 2000;

/** The request the form asks for, or what is wrong, by the server's field names (`expert_id`
 * for whom it is for). */
export function adjustmentRequest(f: AdjustmentForm): { request: AdjustmentRequest } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const target = parseTarget(f.to);
  const currency = f.currency.trim().toUpperCase();
  if (!target) errors.expert_id = 'Choose the expert or lab it is for.';
  else if (f.kind === 'bonus' && target.type === 'lab') errors.kind = 'A bonus is paid to an expert; for a lab, post an adjustment.';
  if (!isCurrencyCode(currency)) errors.currency = 'Enter a currency code, like USD.';
  const amount = isCurrencyCode(currency) ? parseSignedMoney(f.amount, currency) : null;
  if (isCurrencyCode(currency)) {
    if (amount === null) {
      errors.amount_minor = f.kind === 'bonus' ? `Enter an amount in ${currency}, like 12.50.` : `Enter an amount in ${currency}, like 12.50 or -12.50.`;
    } else if (amount === 0) {
      errors.amount_minor = 'Enter an amount other than 0.';
    } else if (f.kind === 'bonus' && amount < 0) {
      errors.amount_minor = 'A bonus is positive; to take money back, post an adjustment.';
    } else if (Math.abs(amount) > MAX_AMOUNT_MINOR) {
      errors.amount_minor = 'That is more than the ledger takes.';
    }
  }
  const reason = f.reason.trim();
  if (reason === '') errors.reason = 'Say why.';
  else if (new TextEncoder().encode(reason).length > MAX_REASON_BYTES) errors.reason = 'Shorten the reason.';
  if (Object.keys(errors).length > 0) return { errors };
  const to = target!.type === 'expert' ? { expert_id: target!.id } : { org_id: target!.id };
  return { request: { ...to, amount_minor: amount!, currency, reason, kind: f.kind } };
}

/** What posting the form will do, in words ("Ada Lovelace will be owed $12.50 more."); null
 * until whom and how much are clear. */
export function adjustmentEffect(f: AdjustmentForm, nameOf: (t: Target) => string | undefined, locale?: string): string | null {
  const target = parseTarget(f.to);
  const currency = f.currency.trim().toUpperCase();
  if (!target || !isCurrencyCode(currency)) return null;
  const amount = parseSignedMoney(f.amount, currency);
  const name = nameOf(target);
  if (amount === null || amount === 0 || !name) return null;
  const money = formatMoney(Math.abs(amount), currency, locale);
  if (target.type === 'expert') return `${name} will be owed ${money} ${amount > 0 ? 'more' : 'less'}.`;
  return amount > 0 ? `${name} will be charged ${money} more.` : `${name} will be credited ${money}.`;
}

/** Idempotency keys, one per submission: the same key while the request is the same (a double
 * click, a second try after an answer was lost), so the ledger posts it once; a new key once the
 * request changes or after `posted()`. */
export function createSubmissionKeys(newKey: () => string = newIdempotencyKey) {
  let last: { request: string; key: string } | null = null;
  return {
    keyFor(request: AdjustmentRequest): string {
      const text = JSON.stringify(request);
      if (last?.request !== text) last = { request: text, key: newKey() };
      return last.key;
    },
    posted(): void {
      last = null;
    },
  };
}
