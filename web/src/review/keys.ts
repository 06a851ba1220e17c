// The reviewer's keyboard: one table of shortcuts (the help dialog is drawn from it) and the
// decision of what a key press does. Kept apart from the DOM so it is tested as data.
import type { Answer, Template } from '../api/template';
import { keyAction } from '../task/shortcuts';

export type ReviewCommand = 'accept' | 'reject' | 'rework' | 'next' | 'send' | 'guidelines' | 'help';

export interface ReviewShortcut {
  command: ReviewCommand;
  /** The key as KeyboardEvent.key reports it, lower case for letters. */
  key: string;
  /** With Ctrl (or ⌘): works while typing in a field. */
  ctrl?: boolean;
  keys: string;
  what: string;
}

export const REVIEW_SHORTCUTS: readonly ReviewShortcut[] = [
  { command: 'accept', key: 'a', keys: 'A', what: 'accept the answer (sent at once)' },
  { command: 'reject', key: 'r', keys: 'R', what: 'reject it (choose quality or spam, say why)' },
  { command: 'rework', key: 'w', keys: 'W', what: 'send it back for rework (write what to change)' },
  { command: 'send', key: 'Enter', ctrl: true, keys: 'Ctrl + Enter', what: 'send the rejection or the rework' },
  { command: 'next', key: 'n', keys: 'N', what: 'the next answer, once this one is decided' },
  { command: 'guidelines', key: 'g', keys: 'G', what: 'show or hide the guidelines' },
  { command: 'help', key: '?', keys: '?', what: 'show these shortcuts' },
];

export interface ReviewKeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The focus is in a text box, where letters and digits are typing. */
  typing: boolean;
  /** A dialog is open: the page's shortcuts are quiet. */
  dialog: boolean;
  /** The name of the score question that holds the focus, if any. */
  focused: string | null;
}

export type ReviewKeyAction = { kind: 'command'; command: ReviewCommand } | { kind: 'score'; question: string; value: unknown } | { kind: 'none' };

/** Two shortcuts on one key would make one of them unreachable. */
export function duplicateKeys(table: readonly ReviewShortcut[]): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const s of table) {
    const id = `${s.ctrl ? 'ctrl+' : ''}${s.key}`;
    if (seen.has(id)) dup.push(id);
    seen.add(id);
  }
  return dup;
}

/** What a key does on the review screen: a command, a score (digits on the questions
 * of the score form, as in the workbench), or nothing. */
export function reviewKey(input: ReviewKeyInput, scores: { template: Template; answer: Answer } | null): ReviewKeyAction {
  if (input.dialog) return { kind: 'none' };
  const ctrl = input.ctrlKey || input.metaKey;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  if (ctrl) {
    const s = REVIEW_SHORTCUTS.find((x) => x.ctrl && x.key === key);
    return s ? { kind: 'command', command: s.command } : { kind: 'none' };
  }
  if (input.typing || input.altKey) return { kind: 'none' };
  const s = REVIEW_SHORTCUTS.find((x) => !x.ctrl && x.key === key);
  if (s) return { kind: 'command', command: s.command };
  if (scores && /^[1-9]$/.test(key)) {
    const a = keyAction(scores.template, scores.answer, { key, ctrlKey: false, metaKey: false, altKey: false, typing: false, focused: input.focused });
    if (a.kind === 'set') return { kind: 'score', question: a.question, value: a.value };
  }
  return { kind: 'none' };
}
