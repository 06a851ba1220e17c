// What an answer is while the expert works on it, and the checks the server will make on it
// (src/projects/template.cc, ValidateAnswer), so a mistake shows next to its question before
// anything is sent. The server stays the judge: its 422 details land in the same place.
import type { Answer, PreferenceAnswer, Question, RubricQuestion, Template } from '../api/template';

/** A message per question name. */
export type QuestionErrors = Record<string, string>;

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** True when `value` counts as no answer to `q` (as the server counts it). */
export function unanswered(q: Question, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return q.type === 'text' && value === '';
}

function checkRubric(q: RubricQuestion, value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Grade every criterion.';
  const v = value as Record<string, unknown>;
  for (const c of q.criteria) {
    const entry = v[c.name];
    const label = c.title || c.name;
    if (entry === undefined || entry === null) return `Grade “${label}”.`;
    if (c.kind === 'pass_fail' && typeof entry !== 'boolean') return `“${label}” is pass or fail.`;
    if (c.kind === 'points') {
      const max = c.max_points ?? 0;
      if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < 0 || entry > max) {
        return `“${label}” takes 0 to ${max} points.`;
      }
    }
  }
  return null;
}

function checkPreference(q: Question & { type: 'preference' }, value: unknown): string | null {
  const v = value as Partial<PreferenceAnswer>;
  const allowTie = q.allow_tie ?? true;
  const strengthMax = q.strength_max ?? 3;
  if (v.choice !== 'A' && v.choice !== 'B' && !(allowTie && v.choice === 'tie')) {
    return allowTie ? 'Choose A, B or tie.' : 'Choose A or B.';
  }
  if (v.choice !== 'tie' && strengthMax > 0) {
    if (typeof v.strength !== 'number' || v.strength < 1 || v.strength > strengthMax) {
      return `Say how strongly, 1 to ${strengthMax}.`;
    }
  }
  return null;
}

/** The problem with a given (not unanswered) value, or null when the server will accept it. */
export function checkValue(q: Question, value: unknown): string | null {
  switch (q.type) {
    case 'label':
      return typeof value === 'string' && q.options.includes(value) ? null : 'Choose one of the options.';
    case 'multi_label': {
      if (!Array.isArray(value)) return 'Choose from the options.';
      if (q.min_selected !== undefined && value.length < q.min_selected) return `Choose at least ${q.min_selected}.`;
      if (q.max_selected !== undefined && value.length > q.max_selected) return `Choose at most ${q.max_selected}.`;
      return null;
    }
    case 'rating':
      return typeof value === 'number' && Number.isInteger(value) && value >= q.min && value <= q.max
        ? null
        : `Rate from ${q.min} to ${q.max}.`;
    case 'ranking':
      return Array.isArray(value) && value.length === q.options.length ? null : 'Rank every option.';
    case 'preference':
      return checkPreference(q, value);
    case 'rubric':
      return checkRubric(q, value);
    case 'text': {
      if (typeof value !== 'string') return 'Write your answer.';
      const n = codePoints(value);
      if (q.min_length !== undefined && n < q.min_length) return `Write at least ${q.min_length} characters (${n} so far).`;
      if (q.max_length !== undefined && n > q.max_length) return `Write at most ${q.max_length} characters (${n} now).`;
      return null;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Enter a number.';
      if (q.integer && !Number.isInteger(value)) return 'Enter a whole number.';
      if ((q.min !== undefined && value < q.min) || (q.max !== undefined && value > q.max)) {
        if (q.min !== undefined && q.max !== undefined) return `Enter a number from ${q.min} to ${q.max}.`;
        return q.min !== undefined ? `Enter a number of at least ${q.min}.` : `Enter a number of at most ${q.max}.`;
      }
      return null;
    }
  }
}

/** Every question the answer gets wrong, by name; empty when it may be submitted. */
export function validateAnswer(template: Template, answer: Answer): QuestionErrors {
  const errors: QuestionErrors = {};
  for (const q of template.questions) {
    const value = answer[q.name];
    if (unanswered(q, value)) {
      if (q.required ?? true) errors[q.name] = 'This question needs an answer.';
      continue;
    }
    const problem = checkValue(q, value);
    if (problem) errors[q.name] = problem;
  }
  return errors;
}

/** The answer as it is sent: questions left unanswered are left out. */
export function cleanAnswer(template: Template, answer: Answer): Answer {
  const out: Answer = {};
  for (const q of template.questions) {
    const value = answer[q.name];
    if (!unanswered(q, value)) out[q.name] = value;
  }
  return out;
}

/** A draft from the server taken back as an answer: only the template's questions. */
export function answerFromDraft(template: Template, draft: unknown): Answer {
  if (typeof draft !== 'object' || draft === null || Array.isArray(draft)) return {};
  const d = draft as Record<string, unknown>;
  const out: Answer = {};
  for (const q of template.questions) if (d[q.name] !== undefined) out[q.name] = d[q.name];
  return out;
}

/** The server's 422 details (field "answer.<question>") as messages by question name. */
export function errorsFromDetails(details: { field: string; message?: string; code: string }[]): QuestionErrors {
  const errors: QuestionErrors = {};
  for (const d of details) {
    if (d.field.startsWith('answer.')) errors[d.field.slice('answer.'.length)] = d.message ?? d.code;
  }
  return errors;
}

/** `list` with `option` added or removed. Keeps the options' order. */
export function toggleOption(options: string[], list: readonly string[], option: string): string[] {
  const set = new Set(list);
  if (set.has(option)) set.delete(option);
  else set.add(option);
  return options.filter((o) => set.has(o));
}

/** The ranking with the entry at `from` moved to `to`. */
export function moveRank(ranking: readonly string[], from: number, to: number): string[] {
  if (to < 0 || to >= ranking.length || from === to) return [...ranking];
  const out = [...ranking];
  const [moved] = out.splice(from, 1);
  out.splice(to, 0, moved!);
  return out;
}
