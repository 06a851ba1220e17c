// One task in the workbench: the item, the answer form, and everything around them — autosave,
// active time, keyboard, guidelines, skip and submit.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';

import { ApiError } from '../../api/client';
import type { Answer } from '../../api/template';
import { AnswerForm } from '../../task/AnswerForm';
import { answerFromDraft, cleanAnswer, errorsFromDetails, validateAnswer, type QuestionErrors } from '../../task/answer';
import { keyAction } from '../../task/shortcuts';
import { TaskView } from '../../task/TaskView';
import { formatDuration } from '../../ui/format';
import { isTyping } from '../../ui/typing';
import { DraftSaver } from '../../work/draft-saver';
import { newIdempotencyKey, withRetry } from '../../work/retry';
import type { Assignment } from '../../work/types';
import { useActiveTime } from '../../work/use-active-time';
import type { WorkApi } from '../../work/work-api';
import { GuidelinesDialog, ShortcutsDialog } from './HelpDialogs';
import { SaveStatus } from './SaveStatus';
import { SkipDialog } from './SkipDialog';

type Open = 'none' | 'guidelines' | 'help' | 'skip';

function leaseEnded(e: unknown): string | null {
  if (e instanceof ApiError && e.status === 409) return e.message;
  if (e instanceof ApiError && e.status === 404) return 'This task is no longer yours.';
  return null;
}

export function TaskScreen({
  assignment,
  work,
  projectName,
  onDone,
}: {
  assignment: Assignment;
  work: WorkApi;
  projectName: string;
  onDone: () => void;
}) {
  const template = assignment.template;
  const [answer, setAnswer] = useState<Answer>(() => answerFromDraft(template, assignment.draft));
  // The answer as of the last change, for handlers that run before the next render (a digit
  // and Ctrl+Enter pressed in quick succession).
  const latest = useRef(answer);
  const [errors, setErrors] = useState<QuestionErrors>({});
  const [open, setOpen] = useState<Open>('none');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const saver = useMemo(() => new DraftSaver((a) => work.saveDraft(assignment.id, a)), [work, assignment.id]);
  const key = useRef<string | null>(null);
  const submitting = useRef(false);
  const gone = useRef(false);
  const time = useActiveTime(work, assignment.id, assignment.active_seconds, (e) => {
    const why = leaseEnded(e);
    if (why) setEnded(why);
  });
  useEffect(() => () => {
    gone.current = true;
    saver.stop();
  }, [saver]);
  useEffect(() => {
    const s = saver.state.value;
    if (s.kind !== 'failed') return;
    const why = leaseEnded(s.error);
    if (why) setEnded(why);
  }, [saver.state.value]);

  const change = (question: string, value: unknown) => {
    const next = { ...latest.current, [question]: value };
    if (value === undefined) delete next[question];
    latest.current = next;
    setAnswer(next);
    if (errors[question]) {
      const { [question]: _, ...rest } = errors;
      setErrors(rest);
    }
    saver.change(next);
  };

  const submit = async () => {
    if (submitting.current || ended) return;
    const answer = latest.current;
    const problems = validateAnswer(template, answer);
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      const first = template.questions.find((q) => problems[q.name]);
      document.querySelector<HTMLElement>(`[data-question="${first?.name}"] input, [data-question="${first?.name}"] textarea`)?.focus();
      return;
    }
    submitting.current = true;
    setBusy(true);
    key.current ??= newIdempotencyKey();
    try {
      await time.flush();
      await withRetry(
        () => work.submit(assignment.id, cleanAnswer(template, answer), key.current!),
        (attempt) => setNotice(`The server cannot be reached; your answer is kept and sent again (attempt ${attempt + 1}).`),
        () => gone.current,
      );
      time.finish();
      saver.stop();
      onDone();
    } catch (e) {
      setNotice(null);
      if (e instanceof ApiError && e.status === 422) setErrors(errorsFromDetails(e.details));
      else setEnded(leaseEnded(e) ?? (e instanceof Error ? e.message : String(e)));
    } finally {
      submitting.current = false;
      if (!gone.current) setBusy(false);
    }
  };

  const skip = async (reason: string) => {
    await time.flush();
    await work.skip(assignment.id, reason);
    time.finish();
    saver.stop();
    setOpen('none');
    onDone();
  };

  // One listener for the task's life, in place as soon as the task is on screen (a layout
  // effect), calling the handler of the latest render.
  const onKey = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKey.current = (e: KeyboardEvent) => {
    if (open !== 'none' || e.defaultPrevented) return;
    const focused = (e.target as HTMLElement | null)?.closest?.('[data-question]')?.getAttribute('data-question') ?? null;
    const action = keyAction(template, latest.current, {
      key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, typing: isTyping(e.target), focused,
    });
    if (action.kind === 'none') return;
    e.preventDefault();
    if (action.kind === 'set') change(action.question, action.value);
    else if (action.kind === 'submit') void submit();
    else if (action.kind === 'help') setOpen('help');
    else if (action.kind === 'guidelines') setOpen('guidelines');
    else if (action.kind === 'skip') setOpen('skip');
  };
  useLayoutEffect(() => {
    const listener = (e: KeyboardEvent) => onKey.current(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  return (
    <div class="task-screen" data-assignment={assignment.id}>
      <header class="task-bar">
        <h1>{projectName}</h1>
        <span class="active-time" title="Counted while this tab is visible and you were active in the last two minutes">
          Active {formatDuration(time.seconds)}
        </span>
        <SaveStatus state={saver.state.value} />
        <div class="task-tools">
          <button type="button" class="button subtle small" onClick={() => setOpen('guidelines')}>
            Guidelines <kbd>G</kbd>
          </button>
          <button type="button" class="button subtle small" onClick={() => setOpen('help')}>
            Shortcuts <kbd>?</kbd>
          </button>
          <button type="button" class="button subtle small" onClick={() => setOpen('skip')} disabled={ended !== null}>
            Skip <kbd>S</kbd>
          </button>
        </div>
      </header>
      {ended && (
        <div class="error-box" role="alert">
          <p>{ended}</p>
          <button type="button" class="button" onClick={onDone}>
            Go to the next task
          </button>
        </div>
      )}
      <div class="task-layout">
        <TaskView template={template} data={assignment.item.data} />
        <form
          class="answer-panel"
          aria-label="Your answer"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <AnswerForm template={template} answer={answer} errors={errors} onChange={change} />
          {notice && (
            <p class="notice" role="status">
              {notice}
            </p>
          )}
          <div class="actions">
            <button type="submit" class="button primary" disabled={busy || ended !== null}>
              {busy ? 'Submitting…' : 'Submit'}
            </button>
            <span class="muted">
              <kbd>Ctrl</kbd> + <kbd>Enter</kbd>
            </span>
          </div>
        </form>
      </div>
      <GuidelinesDialog open={open === 'guidelines'} guidelines={assignment.guidelines} onClose={() => setOpen('none')} />
      <ShortcutsDialog open={open === 'help'} onClose={() => setOpen('none')} />
      <SkipDialog open={open === 'skip'} onSkip={skip} onClose={() => setOpen('none')} />
    </div>
  );
}
