// Qualification exams: banks and questions (operators), attempts (experts), grading
// (reviewers). docs/api.md, "Qualification exams".
import { type Api, api as defaultApi } from './client';
import type { Question } from './template';
import type { Timestamp } from './types';

export type ExamStatus = 'draft' | 'active';

export interface ExamSettings {
  domain: string;
  level: number;
  title: string;
  description: string;
  time_limit_seconds: number;
  pass_mark: number;
  cooldown_seconds: number;
  draw_count: number;
  valid_days: number | null;
  status: ExamStatus;
}

export type MineStatus = 'available' | 'in_progress' | 'grading' | 'cooldown' | 'passed' | 'failed';

/** An expert's standing with an exam. */
export interface Mine {
  status: MineStatus;
  can_start: boolean;
  deadline: Timestamp | null;
  retake_at: Timestamp | null;
  score: number | null;
  expires_at: Timestamp | null;
  attempt_id: string | null;
}

export interface Exam extends ExamSettings {
  id: string;
  level_name: string;
  /** Operators. */
  active_questions?: number;
  created_at?: Timestamp;
  updated_at?: Timestamp;
  /** Experts. */
  mine?: Mine;
}

/** A bank's question without the template's `name` and `required`. */
export type ExamQuestionBody = Omit<Question, 'name' | 'required'> & { type: Question['type'] };

export interface BankQuestion {
  id: string;
  prompt: string;
  points: number;
  question: ExamQuestionBody;
  gold: unknown;
  graded_by: 'gold' | 'reviewer';
  retired_at: Timestamp | null;
  created_at: Timestamp;
}

export interface ExamWithQuestions extends Exam {
  questions: BankQuestion[];
}

export type AttemptState = 'in_progress' | 'grading' | 'passed' | 'failed' | 'expired';

export interface AttemptQuestion {
  id: string;
  prompt: string;
  question: ExamQuestionBody;
  max_points: number;
  answer: unknown;
  points: number | null;
  graded_by: 'gold' | 'reviewer' | 'unanswered' | null;
  comment: string | null;
}

export interface Attempt {
  id: string;
  exam_id: string;
  domain: string;
  level: number;
  state: AttemptState;
  started_at: Timestamp;
  deadline: Timestamp;
  grace_seconds: number;
  server_time: Timestamp;
  seconds_left: number;
  submitted_at: Timestamp | null;
  finished_at: Timestamp | null;
  pass_mark: number;
  max_points: number;
  points: number | null;
  score: number | null;
  passed: boolean | null;
  qualification_granted: boolean | null;
  qualification_expires_at: Timestamp | null;
  resumed?: boolean;
  saved_answers?: Record<string, unknown>;
  questions?: AttemptQuestion[];
}

export interface Grading {
  id: string;
  exam: { id: string; title: string; domain: string; level: number };
  prompt: string;
  question: ExamQuestionBody;
  max_points: number;
  answer: unknown;
  points: number | null;
  comment: string | null;
  graded_at: Timestamp | null;
  submitted_at: Timestamp;
}

const enc = encodeURIComponent;

export class ExamsApi {
  constructor(private readonly api: Api = defaultApi) {}

  async list(signal?: AbortSignal): Promise<Exam[]> {
    return (await this.api.get<{ exams: Exam[] }>('/api/v1/exams', signal)).exams;
  }
  get(id: string, signal?: AbortSignal): Promise<ExamWithQuestions> {
    return this.api.get<ExamWithQuestions>(`/api/v1/exams/${enc(id)}`, signal);
  }
  create(settings: Partial<ExamSettings>): Promise<Exam> {
    return this.api.post<Exam>('/api/v1/exams', settings);
  }
  update(id: string, settings: Partial<ExamSettings>): Promise<Exam> {
    return this.api.patch<Exam>(`/api/v1/exams/${enc(id)}`, settings);
  }
  addQuestion(id: string, body: { prompt: string; points: number; question: unknown; gold: unknown }): Promise<BankQuestion> {
    return this.api.post<BankQuestion>(`/api/v1/exams/${enc(id)}/questions`, body);
  }
  retireQuestion(id: string, questionId: string): Promise<BankQuestion> {
    return this.api.post<BankQuestion>(`/api/v1/exams/${enc(id)}/questions/${enc(questionId)}/retire`);
  }

  start(examId: string): Promise<Attempt> {
    return this.api.post<Attempt>(`/api/v1/exams/${enc(examId)}/attempts`);
  }
  async attempts(signal?: AbortSignal): Promise<Attempt[]> {
    return (await this.api.get<{ attempts: Attempt[] }>('/api/v1/exam-attempts', signal)).attempts;
  }
  attempt(id: string, signal?: AbortSignal): Promise<Attempt> {
    return this.api.get<Attempt>(`/api/v1/exam-attempts/${enc(id)}`, signal);
  }
  save(id: string, answers: Record<string, unknown>): Promise<Attempt> {
    return this.api.put<Attempt>(`/api/v1/exam-attempts/${enc(id)}/answers`, { answers });
  }
  submit(id: string, answers: Record<string, unknown>): Promise<Attempt> {
    return this.api.post<Attempt>(`/api/v1/exam-attempts/${enc(id)}/submit`, { answers });
  }

  async gradings(signal?: AbortSignal): Promise<Grading[]> {
    return (await this.api.get<{ gradings: Grading[] }>('/api/v1/exam-gradings', signal)).gradings;
  }
  grade(id: string, points: number, comment: string): Promise<Grading> {
    return this.api.post<Grading>(`/api/v1/exam-gradings/${enc(id)}`, { points, comment });
  }
}

export const examsApi = new ExamsApi();
