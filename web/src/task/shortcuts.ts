// The workbench's keyboard: what a key press does, decided from the template, the answer so
// far and which question holds the focus. Kept apart from the DOM so it is tested as data.
import type { Answer, PreferenceAnswer, Question, Template } from '../api/template';
import { toggleOption, unanswered } from './answer';

export type KeyAction =
  | { kind: 'set'; question: string; value: unknown }
  | { kind: 'submit' }
  | { kind: 'help' }
  | { kind: 'guidelines' }
  | { kind: 'skip' }
  | { kind: 'none' };

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** True when the focus is in a text box, where letters and digits are typing. */
  typing: boolean;
  /** The name of the question that holds the focus, if any. */
  focused: string | null;
}

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: '1 – 9', what: 'choose a label or rating; after A or B, how strongly' },
  { keys: 'A / B / T', what: 'prefer response A, response B, or a tie' },
  { keys: 'Ctrl + Enter', what: 'submit and go to the next task' },
  { keys: 'G', what: 'show or hide the guidelines' },
  { keys: 'S', what: 'skip this task (asks for a reason)' },
  { keys: '?', what: 'show these shortcuts' },
];

function preferenceWantsStrength(q: Question, value: unknown): boolean {
  if (q.type !== 'preference' || (q.strength_max ?? 3) === 0) return false;
  const v = value as Partial<PreferenceAnswer> | undefined;
  return v?.choice === 'A' || v?.choice === 'B';
}

function takesDigits(q: Question, answer: Answer): boolean {
  if (q.type === 'label' || q.type === 'multi_label' || q.type === 'rating') return true;
  return preferenceWantsStrength(q, answer[q.name]);
}

function needsDigit(q: Question, answer: Answer): boolean {
  const value = answer[q.name];
  if (q.type === 'preference') {
    return preferenceWantsStrength(q, value) && (value as PreferenceAnswer).strength === undefined;
  }
  return unanswered(q, value);
}

/** The question digits go to: the focused one if it takes them, else the first waiting for one. */
export function digitTarget(template: Template, answer: Answer, focused: string | null): Question | null {
  const candidates = template.questions.filter((q) => takesDigits(q, answer));
  const byFocus = candidates.find((q) => q.name === focused);
  if (byFocus) return byFocus;
  return candidates.find((q) => needsDigit(q, answer)) ?? candidates[0] ?? null;
}

function digitValue(q: Question, answer: Answer, d: number): unknown {
  switch (q.type) {
    case 'label':
      return q.options[d - 1];
    case 'multi_label': {
      const option = q.options[d - 1];
      if (option === undefined) return undefined;
      const current = Array.isArray(answer[q.name]) ? (answer[q.name] as string[]) : [];
      return toggleOption(q.options, current, option);
    }
    case 'rating': {
      const v = q.min + d - 1;
      return v <= q.max ? v : undefined;
    }
    case 'preference': {
      const max = q.strength_max ?? 3;
      if (d > max) return undefined;
      return { ...(answer[q.name] as PreferenceAnswer), strength: d };
    }
    default:
      return undefined;
  }
}

function preferenceChoice(template: Template, answer: Answer, focused: string | null, choice: PreferenceAnswer['choice']): KeyAction {
  const prefs = template.questions.filter((q) => q.type === 'preference');
  const q = prefs.find((p) => p.name === focused) ?? prefs[0];
  if (!q || q.type !== 'preference') return { kind: 'none' };
  if (choice === 'tie' && !(q.allow_tie ?? true)) return { kind: 'none' };
  const previous = answer[q.name] as Partial<PreferenceAnswer> | undefined;
  const value: PreferenceAnswer = { choice };
  if (choice !== 'tie' && (q.strength_max ?? 3) > 0 && previous?.strength !== undefined) value.strength = previous.strength;
  return { kind: 'set', question: q.name, value };
}

export function keyAction(template: Template, answer: Answer, input: KeyInput): KeyAction {
  if (input.key === 'Enter' && (input.ctrlKey || input.metaKey)) return { kind: 'submit' };
  if (input.typing || input.ctrlKey || input.metaKey || input.altKey) return { kind: 'none' };
  if (input.key === '?') return { kind: 'help' };
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  if (key === 'g') return { kind: 'guidelines' };
  if (key === 's') return { kind: 'skip' };
  if (key === 'a') return preferenceChoice(template, answer, input.focused, 'A');
  if (key === 'b') return preferenceChoice(template, answer, input.focused, 'B');
  if (key === 't') return preferenceChoice(template, answer, input.focused, 'tie');
  if (/^[1-9]$/.test(key)) {
    const q = digitTarget(template, answer, input.focused);
    if (!q) return { kind: 'none' };
    const value = digitValue(q, answer, Number(key));
    return value === undefined ? { kind: 'none' } : { kind: 'set', question: q.name, value };
  }
  return { kind: 'none' };
}
