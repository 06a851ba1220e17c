// Where one of the expert's answers stands, in words: waiting for automatic acceptance, in
// review, sent back, accepted or rejected, and why.
import type { AnswerStatus, MyAnswer } from '../api/review';
import { formatTime } from '../ui/format';

export const STATUS_FILTERS: { value: AnswerStatus | ''; label: string }[] = [
  { value: '', label: 'All answers' },
  { value: 'pending', label: 'Waiting for acceptance' },
  { value: 'in_review', label: 'In review' },
  { value: 'rework', label: 'Sent back for rework' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'rejected', label: 'Rejected' },
];

export const STATUS_LABEL: Record<AnswerStatus, string> = {
  pending: 'Pending',
  in_review: 'In review',
  rework: 'Rework',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

/** One sentence on what happened to the answer or what happens next. */
export function statusDetail(a: Pick<MyAnswer, 'status' | 'outcome' | 'reason' | 'due_at' | 'decided_at'>, time = formatTime): string {
  switch (a.status) {
    case 'pending':
      return a.due_at ? `Accepted automatically on ${time(a.due_at)} unless a reviewer decides first.` : 'Waiting for acceptance.';
    case 'in_review':
      return 'A reviewer will look at it.';
    case 'rework':
      return a.due_at ? `The reviewer asks you to revise it by ${time(a.due_at)}.` : 'The reviewer asks you to revise it.';
    case 'accepted':
      return a.outcome === 'auto_accepted' ? 'Accepted automatically after the approval window.' : 'Accepted by a reviewer.';
    case 'rejected':
      if (a.reason === 'spam' || a.outcome === 'rejected_spam') return 'Rejected as spam: this answer is not paid.';
      return 'Rejected for quality: your time on it is still paid.';
  }
}
