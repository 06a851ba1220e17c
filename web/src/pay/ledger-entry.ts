// A ledger transaction in words for the operator: what kind it is, whom it concerns, each
// posting's account and side, what it changed for the expert or lab, and why a reversal was
// refused.
import { ApiError } from '../api/client';
import type { LedgerPosting, LedgerTransaction } from '../api/pay';
import { formatMoney } from './money';

const DECISIONS: Record<string, string> = {
  accepted: 'Accepted answer',
  auto_accepted: 'Accepted answer (approval window)',
  rejected_quality: 'Answer rejected for quality',
  rejected_spam: 'Answer rejected as spam',
};

const KINDS: Record<string, string> = {
  bonus: 'Bonus',
  adjustment: 'Adjustment',
  reversal: 'Reversal',
  payout: 'Payout',
  invoice_payment: 'Invoice payment',
};

export function kindText(t: Pick<LedgerTransaction, 'kind' | 'outcome'>): string {
  if (t.kind === 'decision') return DECISIONS[t.outcome] ?? 'Review decision';
  return KINDS[t.kind] ?? t.kind.replace(/_/g, ' ');
}

/** Whom the transaction concerns: the expert, the lab, or both ("Ada Lovelace · Meridian AI");
 * "the platform" when it names neither. */
export function whoText(t: Pick<LedgerTransaction, 'expert' | 'lab'>): string {
  const names = [t.expert?.name, t.lab?.name].filter((n): n is string => !!n);
  return names.length > 0 ? names.join(' · ') : 'the platform';
}

function ownerName(p: LedgerPosting, t: Pick<LedgerTransaction, 'expert' | 'lab'>): string | null {
  if (p.account === 'expert_payable') return t.expert && t.expert.id === p.owner_id ? t.expert.name : null;
  if (p.account === 'lab_receivable') return t.lab && t.lab.id === p.owner_id ? t.lab.name : null;
  return null;
}

/** A posting's account as a person reads it ("Owed to Ada Lovelace", "Platform revenue"). */
export function accountText(p: LedgerPosting, t: Pick<LedgerTransaction, 'expert' | 'lab'>): string {
  switch (p.account) {
    case 'expert_payable':
      return `Owed to ${ownerName(p, t) ?? 'an expert'}`;
    case 'lab_receivable':
      return `Owed by ${ownerName(p, t) ?? 'a lab'}`;
    case 'platform_revenue':
      return 'Platform revenue';
    case 'platform_cash':
      return 'Platform cash';
    default:
      return p.account.replace(/_/g, ' ');
  }
}

/** A posting's amount on its side: debits are positive, credits negative. */
export function sides(p: LedgerPosting): { debit: number | null; credit: number | null } {
  return { debit: p.amount_minor > 0 ? p.amount_minor : null, credit: p.amount_minor < 0 ? -p.amount_minor : null };
}

/** What the transaction changed for its expert and lab, one sentence each ("Ada Lovelace is
 * owed $12.50 more."); the platform's own accounts are left out. */
export function effects(t: Pick<LedgerTransaction, 'expert' | 'lab' | 'postings' | 'currency'>, locale?: string): string[] {
  const out: string[] = [];
  for (const p of t.postings) {
    if (p.amount_minor === 0) continue;
    const amount = formatMoney(Math.abs(p.amount_minor), t.currency, locale);
    if (p.account === 'expert_payable') {
      // The expert's payable is a credit when the platform owes them more.
      out.push(`${ownerName(p, t) ?? 'The expert'} is owed ${amount} ${p.amount_minor < 0 ? 'more' : 'less'}.`);
    } else if (p.account === 'lab_receivable') {
      out.push(`${ownerName(p, t) ?? 'The lab'} owes ${amount} ${p.amount_minor > 0 ? 'more' : 'less'}.`);
    }
  }
  return out;
}

/** The id of a transaction's entry in the page, for links to it. */
export function anchorOf(transactionId: string): string {
  return `entry-${transactionId}`;
}

export function canReverse(t: Pick<LedgerTransaction, 'kind' | 'reversed_by'>): boolean {
  return t.kind !== 'reversal' && !t.reversed_by;
}

/** Why a reversal was refused, in words; null when the refusal names the reason field (the
 * form shows that beside it). */
export function reverseRefusal(err: unknown): string | null {
  if (err instanceof ApiError) {
    if (err.reason === 'already_reversed') return 'This transaction was reversed already, perhaps by another operator. The list now shows it.';
    if (err.reason === 'is_reversal') return 'A reversal cannot itself be reversed. To undo it, post an adjustment.';
    if (err.forField('reason')) return null;
    return err.message;
  }
  return err instanceof Error ? err.message : 'Something went wrong.';
}
