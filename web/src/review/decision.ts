// The reviewer's decision as it is composed: accept, reject with a reason, or rework with a
// comment (both said to the expert); scores on the project's review form (its required questions
// before accepting or rejecting, none for rework), and the approval of time over the project's
// cap. Checked here as the server checks it, so the reviewer sees the problem beside its field
// before anything is sent.
import type { Decision, DecisionOutcome, RejectReason, ReviewTask } from '../api/review';
import type { Answer, Template } from '../api/template';
import { cleanAnswer, validateAnswer, type QuestionErrors } from '../task/answer';
import { allOptional } from './review-form';

export interface DecisionDraft {
  outcome: DecisionOutcome | null;
  reason: RejectReason | null;
  comment: string;
  approveOverCap: boolean;
}

export const EMPTY_DRAFT: DecisionDraft = { outcome: null, reason: null, comment: '', approveOverCap: false };

/** The answer's active time is over the project's cap. */
export function overCap(task: Pick<ReviewTask, 'active_seconds' | 'time_cap_seconds'>): boolean {
  return task.time_cap_seconds !== null && task.active_seconds > task.time_cap_seconds;
}

export interface DecisionErrors {
  fields: Record<string, string>;
  scores: QuestionErrors;
}

/** The decision to send, or what is missing (by the server's field names; scores by question). */
export function decisionBody(
  draft: DecisionDraft,
  scores: { template: Template; answer: Answer } | null,
  task: Pick<ReviewTask, 'active_seconds' | 'time_cap_seconds'>,
): { decision: Decision } | { errors: DecisionErrors } {
  const fields: Record<string, string> = {};
  if (draft.outcome === null) fields.outcome = 'Choose accept, reject or rework.';
  if (draft.outcome === 'reject' && draft.reason === null) fields.reason = 'Say why: quality or spam.';
  if (draft.outcome === 'rework' && draft.comment.trim() === '') fields.comment = 'Tell the expert what to change.';
  if (draft.outcome === 'reject' && draft.comment.trim() === '') fields.comment = 'Tell the expert why.';
  const form = scores && draft.outcome === 'rework' ? allOptional(scores.template) : scores?.template;
  const scoreErrors = scores && form ? validateAnswer(form, scores.answer) : {};
  if (Object.keys(fields).length > 0 || Object.keys(scoreErrors).length > 0) return { errors: { fields, scores: scoreErrors } };
  const decision: Decision = { outcome: draft.outcome! };
  if (draft.outcome === 'reject') decision.reason = draft.reason!;
  if (draft.comment.trim() !== '') decision.comment = draft.comment.trim();
  if (scores) {
    const clean = cleanAnswer(scores.template, scores.answer);
    if (Object.keys(clean).length > 0) decision.scores = clean;
  }
  if (overCap(task) && draft.outcome === 'accept') decision.approve_over_cap = draft.approveOverCap;
  return { decision };
}

const HOLDS: Record<string, string> = {
  all: 'The project reviews every answer.',
  free_text: 'The project reviews every written answer.',
  sampled: 'Picked for review by the project’s sample.',
  gold_failed: 'The expert missed a gold item.',
  speed: 'Much faster than the project’s usual time.',
  over_cap: 'Over the project’s time cap.',
  second_opinion: 'Decided by another reviewer; your opinion measures agreement and changes nothing.',
};

/** Why this answer is in review, in words. */
export function holdText(hold: string | null): string {
  if (hold === null || hold === '') return 'Sent for review.';
  return HOLDS[hold] ?? `Held for review (${hold}).`;
}

const OUTCOMES: Record<string, string> = {
  accept: 'Accepted',
  accepted: 'Accepted',
  auto_accepted: 'Accepted automatically',
  reject: 'Rejected',
  rejected: 'Rejected',
  rejected_quality: 'Rejected for quality',
  rejected_spam: 'Rejected as spam',
  rework: 'Sent back for rework',
};

export function outcomeText(outcome: string): string {
  return OUTCOMES[outcome] ?? outcome;
}
