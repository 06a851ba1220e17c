// Review (docs/api.md, "Review"): the lab's review policy and summary, the reviewer's queue and
// decisions, the expert's answers with their status and the rework sent back to them.
import type { Answer, Question, Template } from './template';
import { type Api, api as defaultApi } from './client';
import type { Timestamp } from './types';

export type ReviewMode = 'sample' | 'free_text' | 'all';

/** What reviewers answer about an answer: questions in the template's types. */
export interface ReviewForm {
  questions: Question[];
}

export interface ReviewPolicy {
  mode: ReviewMode;
  /** Shares (0..1) of each standing's answers that are reviewed. */
  sample: { new: number; low_accuracy: number; trusted: number };
  new_judgments: number;
  low_gold_accuracy: number;
  approval_window_days: number;
  speed_flag_ratio: number;
  time_cap_seconds: number | null;
  second_review_rate: number;
  /** The lab's review form; null: the template's rubric and rating questions. */
  form: ReviewForm | null;
}

/** What reviewers scored on one question of the form (one criterion of a rubric). */
export interface ScoreSummary {
  question: string;
  criterion: string | null;
  title: string;
  kind: 'rating' | 'number' | 'points' | 'pass_fail' | 'label' | 'multi_label' | 'text' | 'ranking' | 'preference';
  answered: number;
  /** The mean value; for pass_fail the share passed. Null until scored. */
  mean: number | null;
  min: number | null;
  max: number | null;
  counts?: { option: string; count: number }[];
}

export interface ReviewCounts {
  pending: number;
  in_review: number;
  rework: number;
  accepted: number;
  rejected: number;
}

export interface ReviewSummary {
  counts: ReviewCounts;
  experts: { pseudonym: string; decided: number; accepted: number; rejected: number; acceptance_rate: number | null }[];
  agreement: { pairs: number; agreeing: number; rate: number | null };
  /** Decided reviews with scores. */
  scored: number;
  scores: ScoreSummary[];
}

export interface ReviewProject {
  id: string;
  name: string;
  domain: string | null;
  min_level: number;
  waiting: number;
}

/** Why an answer is in review rather than waiting for automatic acceptance. */
export type Hold = 'all' | 'free_text' | 'sampled' | 'gold_failed' | 'speed' | 'over_cap';

export type DecisionOutcome = 'accept' | 'reject' | 'rework';
export type RejectReason = 'quality' | 'spam';

export interface ReviewRound {
  round: number;
  outcome: string;
  comment: string;
  answer: Answer;
  decided_at: Timestamp;
}

/** An answer claimed by this reviewer. */
export interface ReviewTask {
  id: string;
  submission_id: string;
  project: { id: string; name: string };
  round: number;
  hold: Hold | string | null;
  item: { id: string; data: Record<string, unknown> };
  template: Template;
  template_version: number;
  guidelines: string;
  answer: Answer;
  active_seconds: number;
  time_cap_seconds: number | null;
  /** What the reviewer scores; null: nothing. */
  form: ReviewForm | null;
  history: ReviewRound[];
  claim_expires_at: Timestamp;
}

export interface Decision {
  outcome: DecisionOutcome;
  reason?: RejectReason;
  comment?: string;
  scores?: Answer;
  approve_over_cap?: boolean;
}

export interface DecisionResult {
  submission_id: string;
  status: string;
  outcome: string;
}

export type AnswerStatus = 'pending' | 'in_review' | 'rework' | 'accepted' | 'rejected';

/** One of the expert's submitted answers and where its review stands. */
export interface MyAnswer {
  submission_id: string;
  assignment_id: string;
  project: { id: string; name: string };
  status: AnswerStatus;
  outcome: string | null;
  reason: string | null;
  comment: string | null;
  submitted_at: Timestamp;
  due_at: Timestamp | null;
  decided_at: Timestamp | null;
  round: number;
}

export interface MyAnswers {
  answers: MyAnswer[];
  next_before: string | null;
}

/** An answer sent back to the expert to revise. */
export interface ReworkTask {
  submission_id: string;
  project: { id: string; name: string };
  item: { id: string; data: Record<string, unknown> };
  template: Template;
  template_version: number;
  guidelines: string;
  answer: Answer;
  comment: string;
  round: number;
  due_at: Timestamp;
}

const enc = encodeURIComponent;

export class ReviewApi {
  constructor(private readonly api: Api = defaultApi) {}

  policy(projectId: string, signal?: AbortSignal): Promise<ReviewPolicy> {
    return this.api.get<ReviewPolicy>(`/api/v1/projects/${enc(projectId)}/review-policy`, signal);
  }
  /** Members absent from `policy` keep theirs. */
  savePolicy(projectId: string, policy: Partial<ReviewPolicy>): Promise<ReviewPolicy> {
    return this.api.put<ReviewPolicy>(`/api/v1/projects/${enc(projectId)}/review-policy`, policy);
  }
  summary(projectId: string, signal?: AbortSignal): Promise<ReviewSummary> {
    return this.api.get<ReviewSummary>(`/api/v1/projects/${enc(projectId)}/review/summary`, signal);
  }
  async projects(signal?: AbortSignal): Promise<ReviewProject[]> {
    return (await this.api.get<{ projects: ReviewProject[] }>('/api/v1/review/projects', signal)).projects;
  }
  /** The next answer to review (on one project, or any); null when none is waiting. */
  async next(projectId?: string): Promise<ReviewTask | null> {
    const task = await this.api.post<ReviewTask | undefined>('/api/v1/review/next', projectId ? { project_id: projectId } : {});
    return task ?? null;
  }
  async claims(signal?: AbortSignal): Promise<ReviewTask[]> {
    return (await this.api.get<{ claims: ReviewTask[] }>('/api/v1/review/claims', signal)).claims;
  }
  decide(taskId: string, decision: Decision): Promise<DecisionResult> {
    return this.api.post<DecisionResult>(`/api/v1/review/${enc(taskId)}/decision`, decision);
  }
  release(taskId: string): Promise<void> {
    return this.api.post<void>(`/api/v1/review/${enc(taskId)}/release`);
  }
  myAnswers(status: AnswerStatus | '', before: string | null, signal?: AbortSignal): Promise<MyAnswers> {
    const q = new URLSearchParams({ limit: '20' });
    if (status) q.set('status', status);
    if (before) q.set('before', before);
    return this.api.get<MyAnswers>(`/api/v1/me/answers?${q.toString()}`, signal);
  }
  async rework(signal?: AbortSignal): Promise<ReworkTask[]> {
    return (await this.api.get<{ rework: ReworkTask[] }>('/api/v1/work/rework', signal)).rework;
  }
  revise(submissionId: string, answer: Answer, idempotencyKey: string, activeSeconds: number): Promise<{ submission_id: string; round: number; status: string }> {
    return this.api.post(`/api/v1/work/rework/${enc(submissionId)}`, { answer, idempotency_key: idempotencyKey, active_seconds: activeSeconds });
  }
}

export const reviewApi = new ReviewApi();
