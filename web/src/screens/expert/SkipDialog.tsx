// Skipping a task: the expert says why (the lab reads the reasons), and the task goes back to
// others; this expert will not get it again.
import { useState } from 'preact/hooks';

import { ApiError } from '../../api/client';
import { Dialog } from '../../ui/Dialog';

const REASONS = ['Outside my expertise', 'The item is broken or unreadable', 'Conflict of interest', 'Other'];

export function SkipDialog({ open, onSkip, onClose }: { open: boolean; onSkip: (reason: string) => Promise<void>; onClose: () => void }) {
  const [choice, setChoice] = useState(REASONS[0]!);
  const [detail, setDetail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reason = detail.trim() ? `${choice}: ${detail.trim()}` : choice;
  return (
    <Dialog open={open} title="Skip this task" onClose={onClose}>
      <form
        class="stack"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          if (choice === 'Other' && !detail.trim()) {
            setError('Say briefly why you skip it.');
            return;
          }
          setBusy(true);
          try {
            await onSkip(reason);
          } catch (err) {
            setError(err instanceof ApiError ? err.message : String(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <fieldset class="plain">
          <legend>Why?</legend>
          {REASONS.map((r) => (
            <label key={r} class="checkbox">
              <input type="radio" name="skip-reason" checked={choice === r} onChange={() => setChoice(r)} /> {r}
            </label>
          ))}
        </fieldset>
        <label for="skip-detail">Details {choice === 'Other' ? '' : '(optional)'}</label>
        <textarea id="skip-detail" rows={3} maxLength={1500} value={detail} onInput={(e) => setDetail((e.target as HTMLTextAreaElement).value)} />
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy}>
            Skip task
          </button>
          <button type="button" class="button" onClick={onClose}>
            Keep working
          </button>
        </div>
      </form>
    </Dialog>
  );
}
