// A line of the expert's statement in words: what the ledger line paid them for.
import type { StatementLine } from '../api/pay';

const DECISIONS: Record<string, string> = {
  accepted: 'Accepted answer',
  auto_accepted: 'Accepted answer (after the approval window)',
  rejected_quality: 'Answer rejected for quality: your time is paid',
  rejected_spam: 'Answer rejected as spam: not paid',
};

const KINDS: Record<string, string> = {
  bonus: 'Bonus',
  adjustment: 'Adjustment',
  reversal: 'Correction of an earlier line',
  payout: 'Paid out to you',
};

export function lineText(l: Pick<StatementLine, 'kind' | 'outcome'>): string {
  if (l.kind === 'decision') return DECISIONS[l.outcome ?? ''] ?? 'Reviewed answer';
  return KINDS[l.kind] ?? l.kind.replace(/_/g, ' ');
}
