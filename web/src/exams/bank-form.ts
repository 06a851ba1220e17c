// The operator's exam bank forms: settings with times in minutes and hours as people set them
// (the API counts seconds), and a question written as JSON with its gold answer.
import type { Exam, ExamSettings, ExamStatus } from '../api/exams';

export interface BankForm {
  domain: string;
  level: string;
  title: string;
  description: string;
  time_limit_minutes: string;
  pass_mark: string;
  cooldown_hours: string;
  draw_count: string;
  /** Empty for a pass that never expires. */
  valid_days: string;
  status: ExamStatus;
}

export const NEW_BANK: BankForm = {
  domain: '',
  level: '3',
  title: '',
  description: '',
  time_limit_minutes: '30',
  pass_mark: '70',
  cooldown_hours: '24',
  draw_count: '5',
  valid_days: '365',
  status: 'draft',
};

export function formFromExam(e: Exam): BankForm {
  return {
    domain: e.domain,
    level: String(e.level),
    title: e.title,
    description: e.description,
    time_limit_minutes: String(e.time_limit_seconds / 60),
    pass_mark: String(e.pass_mark),
    cooldown_hours: String(e.cooldown_seconds / 3600),
    draw_count: String(e.draw_count),
    valid_days: e.valid_days === null ? '' : String(e.valid_days),
    status: e.status,
  };
}

/** The form's field for each of the API's settings, so the server's errors land beside them. */
export const FIELD_OF: Record<string, keyof BankForm> = {
  time_limit_seconds: 'time_limit_minutes',
  cooldown_seconds: 'cooldown_hours',
};

function num(text: string): number {
  const t = text.trim();
  return t === '' ? Number.NaN : Number(t);
}

/** The settings to send, or the form's own errors by form field. Numbers the form cannot read
 * are refused here; ranges are the server's to check. */
export function bankSettings(f: BankForm): { settings: ExamSettings } | { errors: Partial<Record<keyof BankForm, string>> } {
  const errors: Partial<Record<keyof BankForm, string>> = {};
  const need = (key: keyof BankForm, v: number, what: string) => {
    if (!Number.isFinite(v)) errors[key] = `Enter ${what}.`;
    return v;
  };
  const minutes = need('time_limit_minutes', num(f.time_limit_minutes), 'the time limit in minutes');
  const hours = need('cooldown_hours', num(f.cooldown_hours), 'the cool-down in hours (0 for none)');
  const passMark = need('pass_mark', num(f.pass_mark), 'a pass mark from 0 to 100');
  const draw = need('draw_count', num(f.draw_count), 'how many questions an attempt draws');
  const valid = f.valid_days.trim() === '' ? null : need('valid_days', num(f.valid_days), 'days, or leave it empty');
  if (!f.domain) errors.domain = 'Choose a domain.';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    settings: {
      domain: f.domain,
      level: Number(f.level),
      title: f.title.trim(),
      description: f.description,
      time_limit_seconds: Math.round(minutes * 60),
      pass_mark: passMark,
      cooldown_seconds: Math.round(hours * 3600),
      draw_count: draw,
      valid_days: valid,
      status: f.status,
    },
  };
}

/** The server's error fields renamed to the form's. */
export function bankErrors(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[FIELD_OF[k] ?? k] = v;
  return out;
}

export interface QuestionForm {
  prompt: string;
  points: string;
  /** The question as JSON: {"type": "label", "options": [...]}. */
  question: string;
  /** The gold answer as JSON; empty for a question a reviewer grades. */
  gold: string;
}

export const QUESTION_EXAMPLES: Record<string, { question: string; gold: string }> = {
  label: { question: '{"type": "label", "options": ["yes", "no"]}', gold: '"yes"' },
  multi_label: { question: '{"type": "multi_label", "options": ["a", "b", "c"]}', gold: '["a", "c"]' },
  number: { question: '{"type": "number", "integer": true}', gold: '42' },
  rating: { question: '{"type": "rating", "min": 1, "max": 5}', gold: '4' },
  ranking: { question: '{"type": "ranking", "options": ["first", "second", "third"]}', gold: '["first", "second", "third"]' },
  text: { question: '{"type": "text", "max_length": 4000}', gold: '' },
};

export const NEW_QUESTION: QuestionForm = { prompt: '', points: '1', ...QUESTION_EXAMPLES.label! };

/** The POST body for a question, or the form's errors (JSON that does not parse). */
export function questionBody(
  f: QuestionForm,
): { body: { prompt: string; points: number; question: unknown; gold: unknown } } | { errors: Partial<Record<keyof QuestionForm, string>> } {
  const errors: Partial<Record<keyof QuestionForm, string>> = {};
  let question: unknown = null;
  let gold: unknown = null;
  try {
    question = JSON.parse(f.question);
  } catch {
    errors.question = 'The question is not valid JSON.';
  }
  if (f.gold.trim() !== '') {
    try {
      gold = JSON.parse(f.gold);
    } catch {
      errors.gold = 'The gold answer is not valid JSON (a text answer is written in quotes: "yes").';
    }
  }
  const points = Number(f.points);
  if (f.points.trim() === '' || !Number.isFinite(points)) errors.points = 'Enter the points, 1 to 100.';
  if (Object.keys(errors).length > 0) return { errors };
  return { body: { prompt: f.prompt, points, question, gold } };
}

/** The server's question errors ("question.options", "gold") on the form's fields. */
export function questionErrors(fields: Record<string, string>): Partial<Record<keyof QuestionForm, string>> {
  const out: Partial<Record<keyof QuestionForm, string>> = {};
  const add = (key: keyof QuestionForm, msg: string) => (out[key] = out[key] ? `${out[key]}; ${msg}` : msg);
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'question' || k.startsWith('question.')) add('question', k === 'question' ? v : `${k.slice('question.'.length)}: ${v}`);
    else if (k === 'gold' || k.startsWith('gold.')) add('gold', v);
    else if (k === 'prompt') add('prompt', v);
    else if (k === 'points') add('points', v);
  }
  return out;
}
