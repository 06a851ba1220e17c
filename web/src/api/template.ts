// A project's template as the API sends it (src/projects/template.h is the reference): the
// fields an expert sees, taken from each item's data, and the questions the expert answers.

export type FieldType = 'text' | 'markdown' | 'code' | 'chat' | 'image_url';

export interface TemplateField {
  name: string;
  type: FieldType;
  title?: string;
  required?: boolean;
  /** code only: the highlighting hint ("python"). */
  language?: string;
}

interface QuestionBase {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

export interface LabelQuestion extends QuestionBase {
  type: 'label';
  options: string[];
}
export interface MultiLabelQuestion extends QuestionBase {
  type: 'multi_label';
  options: string[];
  min_selected?: number;
  max_selected?: number;
}
export interface RatingQuestion extends QuestionBase {
  type: 'rating';
  min: number;
  max: number;
}
export interface RankingQuestion extends QuestionBase {
  type: 'ranking';
  options: string[];
}
export interface PreferenceQuestion extends QuestionBase {
  type: 'preference';
  allow_tie?: boolean;
  strength_max?: number;
}
export interface RubricCriterion {
  name: string;
  title?: string;
  kind: 'pass_fail' | 'points';
  max_points?: number;
}
export interface RubricQuestion extends QuestionBase {
  type: 'rubric';
  criteria: RubricCriterion[];
}
export interface TextQuestion extends QuestionBase {
  type: 'text';
  min_length?: number;
  max_length?: number;
}
export interface NumberQuestion extends QuestionBase {
  type: 'number';
  min?: number;
  max?: number;
  integer?: boolean;
}

export type Question =
  | LabelQuestion
  | MultiLabelQuestion
  | RatingQuestion
  | RankingQuestion
  | PreferenceQuestion
  | RubricQuestion
  | TextQuestion
  | NumberQuestion;

export type QuestionType = Question['type'];

export interface SftExport {
  prompt_field?: string;
  prompt_question?: string;
  response_question: string;
  system_field?: string;
}

export interface PreferenceExport {
  prompt_field: string;
  a_field: string;
  b_field: string;
  question: string;
}

export interface Template {
  fields: TemplateField[];
  questions: Question[];
  export?: { sft?: SftExport; preference?: PreferenceExport };
}

/** One chat turn of a chat field. */
export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A preference answer. */
export interface PreferenceAnswer {
  choice: 'A' | 'B' | 'tie';
  strength?: number;
}

/** An answer: one value per question name (see template.h for each type's value). */
export type Answer = Record<string, unknown>;
