// The reviewer's decision: accept, reject with a reason, or send back for rework with a
// comment; the approval of time over the project's cap when there is some. The panel owns no
// state: the draft and its errors come from the caller.
import type { Ref } from 'preact';

import type { DecisionOutcome, RejectReason } from '../../api/review';
import type { DecisionDraft } from '../../review/decision';
import { formatDuration } from '../../ui/format';

const OUTCOMES: { value: DecisionOutcome; label: string; key: string }[] = [
  { value: 'accept', label: 'Accept', key: 'A' },
  { value: 'reject', label: 'Reject', key: 'R' },
  { value: 'rework', label: 'Send back for rework', key: 'W' },
];

const REASONS: { value: RejectReason; label: string; hint: string }[] = [
  { value: 'quality', label: 'Quality', hint: 'an honest attempt that falls short; the expert’s time is paid' },
  { value: 'spam', label: 'Spam', hint: 'no real attempt; nothing is paid' },
];

export function DecisionPanel({
  draft,
  errors,
  cap,
  busy,
  commentRef,
  reasonRef,
  onChange,
}: {
  draft: DecisionDraft;
  errors: Record<string, string>;
  /** The answer's active time and the project's cap, when the time is over it. */
  cap: { active: number; cap: number } | null;
  busy: boolean;
  commentRef: Ref<HTMLTextAreaElement>;
  reasonRef: Ref<HTMLInputElement>;
  onChange: (draft: DecisionDraft) => void;
}) {
  return (
    <div class="decision-form">
      <h3>Your decision</h3>
      <fieldset class="plain" aria-describedby={errors.outcome ? 'decision-outcome-error' : undefined}>
        <legend class="sr-only">Decision</legend>
        <div class="choices">
          {OUTCOMES.map((o) => (
            <label key={o.value} class="choice">
              <input
                type="radio"
                name="decision-outcome"
                value={o.value}
                checked={draft.outcome === o.value}
                onChange={() => onChange({ ...draft, outcome: o.value })}
              />
              {o.label} <kbd>{o.key}</kbd>
            </label>
          ))}
        </div>
      </fieldset>
      {errors.outcome && (
        <p class="field-error" id="decision-outcome-error" role="alert">
          {errors.outcome}
        </p>
      )}
      {draft.outcome === 'reject' && (
        <fieldset class="plain">
          <legend>Why</legend>
          {REASONS.map((r, i) => (
            <label key={r.value} class="choice">
              <input
                type="radio"
                name="decision-reason"
                value={r.value}
                ref={i === 0 ? reasonRef : undefined}
                checked={draft.reason === r.value}
                onChange={() => onChange({ ...draft, reason: r.value })}
              />
              {r.label} <span class="muted">— {r.hint}</span>
            </label>
          ))}
          {errors.reason && (
            <p class="field-error" role="alert">
              {errors.reason}
            </p>
          )}
        </fieldset>
      )}
      <div class={`field ${errors.comment ? 'has-error' : ''}`}>
        <label for="decision-comment">
          {draft.outcome === 'rework' ? 'What the expert should change' : draft.outcome === 'reject' ? 'Why, for the expert' : 'Comment for the expert'}
          {draft.outcome === 'accept' || draft.outcome === null ? <span class="muted"> (optional)</span> : null}
        </label>
        <textarea
          id="decision-comment"
          ref={commentRef}
          rows={3}
          value={draft.comment}
          aria-describedby={errors.comment ? 'decision-comment-error' : undefined}
          onInput={(e) => onChange({ ...draft, comment: e.currentTarget.value })}
        />
        {errors.comment && (
          <p class="field-error" id="decision-comment-error" role="alert">
            {errors.comment}
          </p>
        )}
      </div>
      {cap && draft.outcome === 'accept' && (
        <label class="checkbox">
          <input type="checkbox" checked={draft.approveOverCap} onChange={(e) => onChange({ ...draft, approveOverCap: e.currentTarget.checked })} />
          Pay the time over the cap ({formatDuration(cap.active)} against a cap of {formatDuration(cap.cap)})
        </label>
      )}
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Sending…' : 'Send decision'}
        </button>
        <span class="muted">
          <kbd>Ctrl</kbd> + <kbd>Enter</kbd>
        </span>
      </div>
    </div>
  );
}
