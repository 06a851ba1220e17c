// One answer claimed for review: the item and the guidelines, the expert's answer (and its
// earlier rounds), scores on the project's review form, and the decision —
// all of it reachable from the keyboard (review/keys.ts).
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';

import { ApiError } from '../../api/client';
import type { DecisionResult, ReviewTask } from '../../api/review';
import { reviewApi } from '../../api/review';
import type { Answer } from '../../api/template';
import { decisionBody, EMPTY_DRAFT, holdText, outcomeText, overCap, type DecisionDraft } from '../../review/decision';
import { reviewKey } from '../../review/keys';
import { formTemplate } from '../../review/review-form';
import { AnswerForm } from '../../task/AnswerForm';
import type { QuestionErrors } from '../../task/answer';
import { AnswerView } from '../../task/AnswerView';
import { TaskView } from '../../task/TaskView';
import { formatClock, formatDuration } from '../../ui/format';
import { isTyping } from '../../ui/typing';
import { DecisionPanel } from './DecisionPanel';
import { GuidelinesDialog } from './HelpDialogs';
import { ReviewRounds } from './ReviewRounds';
import { ReviewShortcutsDialog } from './ReviewShortcutsDialog';

type Open = 'none' | 'guidelines' | 'help';

/** What the reviewer can do after a refused decision; null when it is a field error. */
function ended(e: unknown): string | null {
  if (e instanceof ApiError && e.code === 'claim_expired') return 'Your claim on this answer expired and it went back to the queue.';
  if (e instanceof ApiError && e.code === 'already_decided') return 'Another reviewer decided this answer first.';
  if (e instanceof ApiError && e.status === 404) return 'This answer is no longer yours to review.';
  if (e instanceof ApiError && (e.status === 422 || e.code === 'rework_not_allowed')) return null;
  return e instanceof Error ? e.message : String(e);
}

export function ReviewTaskScreen({ task, onNext, onRelease }: { task: ReviewTask; onNext: () => void; onRelease: () => void }) {
  const scoreForm = useMemo(() => formTemplate(task.form), [task.form]);
  const [draft, setDraft] = useState<DecisionDraft>(EMPTY_DRAFT);
  const [scores, setScores] = useState<Answer>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [scoreErrors, setScoreErrors] = useState<QuestionErrors>({});
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Open>('none');
  const [result, setResult] = useState<DecisionResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const latest = useRef({ draft, scores });
  latest.current = { draft, scores };
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  // The field R or W moves the focus to, once it is on screen: in the same render, so what the
  // reviewer types next lands in it.
  const focusNext = useRef<'reason' | 'comment' | null>(null);
  useLayoutEffect(() => {
    if (focusNext.current === 'reason') reasonRef.current?.focus();
    if (focusNext.current === 'comment') commentRef.current?.focus();
    focusNext.current = null;
  });
  const sending = useRef(false);
  const cap = overCap(task) ? { active: task.active_seconds, cap: task.time_cap_seconds! } : null;

  const send = async (d: DecisionDraft) => {
    if (sending.current || result || failure) return;
    const body = decisionBody(d, scoreForm ? { template: scoreForm, answer: latest.current.scores } : null, task);
    if ('errors' in body) {
      setFieldErrors(body.errors.fields);
      setScoreErrors(body.errors.scores);
      return;
    }
    sending.current = true;
    setBusy(true);
    setFieldErrors({});
    setScoreErrors({});
    try {
      setResult(await reviewApi.decide(task.id, body.decision));
    } catch (e) {
      const why = ended(e);
      if (why) setFailure(why);
      else if (e instanceof ApiError) {
        const fields: Record<string, string> = {};
        const perScore: QuestionErrors = {};
        for (const x of e.details) {
          if (x.field.startsWith('scores.')) perScore[x.field.slice('scores.'.length)] = x.message ?? x.code;
          else fields[x.field] = x.message ?? x.code;
        }
        setFieldErrors(Object.keys(fields).length > 0 || Object.keys(perScore).length > 0 ? fields : { outcome: e.message });
        setScoreErrors(perScore);
      }
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  const change = (d: DecisionDraft) => {
    const was = latest.current.draft;
    latest.current = { ...latest.current, draft: d };
    setDraft(d);
    // An error goes once its field changes; the others stay until the next send.
    const stale = (['outcome', 'reason', 'comment'] as const).filter((k) => d[k] !== was[k]);
    if (stale.length > 0) setFieldErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !stale.includes(k as never))));
  };

  const setScore = (q: string, v: unknown) => {
    const next = { ...latest.current.scores, [q]: v };
    if (v === undefined) delete next[q];
    latest.current = { ...latest.current, scores: next };
    setScores(next);
    // The question's error goes once it changes, as the decision's fields' do.
    setScoreErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== q)));
  };

  const onKey = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKey.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented) return;
    const focused = (e.target as HTMLElement | null)?.closest?.('[data-question]')?.getAttribute('data-question') ?? null;
    const action = reviewKey(
      { key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, typing: isTyping(e.target), dialog: open !== 'none', focused },
      scoreForm ? { template: scoreForm, answer: latest.current.scores } : null,
    );
    if (action.kind === 'none') return;
    e.preventDefault();
    if (action.kind === 'score') {
      setScore(action.question, action.value);
      return;
    }
    const d = latest.current.draft;
    switch (action.command) {
      case 'accept': {
        const next = { ...d, outcome: 'accept' as const };
        change(next);
        void send(next);
        break;
      }
      case 'reject':
        focusNext.current = 'reason';
        change({ ...d, outcome: 'reject' });
        break;
      case 'rework':
        focusNext.current = 'comment';
        change({ ...d, outcome: 'rework' });
        break;
      case 'send':
        void send(d);
        break;
      case 'next':
        if (result || failure) onNext();
        break;
      case 'guidelines':
        setOpen('guidelines');
        break;
      case 'help':
        setOpen('help');
        break;
    }
  };
  useLayoutEffect(() => {
    const listener = (e: KeyboardEvent) => onKey.current(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const questions = task.template.questions;
  return (
    <div class="task-screen review-screen" data-review={task.id}>
      <header class="task-bar">
        <h1>{task.project.name}</h1>
        <span class="badge">Round {task.round}</span>
        <span class="muted">Yours until {formatClock(new Date(task.claim_expires_at))}</span>
        <div class="task-tools">
          <button type="button" class="button subtle small" onClick={() => setOpen('guidelines')}>
            Guidelines <kbd>G</kbd>
          </button>
          <button type="button" class="button subtle small" onClick={() => setOpen('help')}>
            Shortcuts <kbd>?</kbd>
          </button>
          {!result && !failure && (
            <button type="button" class="button subtle small" onClick={onRelease}>
              Put back
            </button>
          )}
        </div>
      </header>
      <p class="notice">{holdText(task.hold)}</p>
      {(result || failure) && (
        <div class={`card result ${result ? 'result-ok' : 'result-bad'}`} role="status">
          <h2>{result ? `${outcomeText(result.outcome)}.` : failure}</h2>
          <button type="button" class="button primary" ref={(el) => el?.focus()} onClick={onNext}>
            Next answer <kbd>N</kbd>
          </button>
        </div>
      )}
      <div class="task-layout">
        <TaskView template={task.template} data={task.item.data} />
        <form
          class="answer-panel"
          aria-label="Review"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void send(latest.current.draft);
          }}
        >
          <section aria-labelledby="review-answer-title">
            <h2 id="review-answer-title">The expert’s answer</h2>
            <p class="muted">
              Active time {formatDuration(task.active_seconds)}
              {task.time_cap_seconds !== null && ` (cap ${formatDuration(task.time_cap_seconds)})`}
            </p>
            <AnswerView questions={questions} answer={task.answer} />
            <ReviewRounds rounds={task.history} questions={questions} />
          </section>
          {scoreForm && (
            <section aria-labelledby="review-scores-title">
              <h2 id="review-scores-title">Scores</h2>
              <AnswerForm
                template={scoreForm}
                answer={scores}
                errors={scoreErrors}
                idPrefix="score"
                onChange={setScore}
              />
            </section>
          )}
          {!result && !failure && (
            <DecisionPanel draft={draft} errors={fieldErrors} cap={cap} busy={busy} commentRef={commentRef} reasonRef={reasonRef} onChange={change} />
          )}
        </form>
      </div>
      <GuidelinesDialog open={open === 'guidelines'} guidelines={task.guidelines} onClose={() => setOpen('none')} />
      <ReviewShortcutsDialog open={open === 'help'} onClose={() => setOpen('none')} />
    </div>
  );
}
