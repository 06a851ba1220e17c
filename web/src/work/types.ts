// The work loop's JSON shapes (docs/api.md, "The work loop").
import type { Answer, Template } from '../api/template';
import type { Timestamp } from '../api/types';

export type AssignmentState = 'active' | 'submitted' | 'skipped' | 'expired' | 'revoked';

export interface Assignment {
  id: string;
  project_id: string;
  item: { id: string; data: Record<string, unknown> };
  template: Template;
  template_version: number;
  guidelines: string;
  leased_at: Timestamp;
  lease_expires_at: Timestamp;
  active_seconds: number;
  state: AssignmentState;
  /** Active assignments: the saved draft, if any. */
  draft?: Answer | null;
  draft_saved_at?: Timestamp | null;
  /** Finished assignments. */
  finished_at?: Timestamp;
  answer?: Answer;
  skip_reason?: string;
}

export interface NextAnswer {
  assignment: Assignment | null;
  reason?: 'no_projects' | 'no_open_items';
  message?: string;
}

export interface AssignmentList {
  assignments: Assignment[];
  next_before?: string | null;
}

export interface Submission {
  id: string;
  assignment_id: string;
  item_id: string;
  project_id: string;
  answer: Answer;
  template_version: number;
  active_seconds: number;
  submitted_at: Timestamp;
}

export interface HeartbeatAnswer {
  lease_expires_at: Timestamp;
  active_seconds: number;
}
