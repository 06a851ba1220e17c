// A project's terms, read and accepted before the first task and again when a new version
// appears. Accepting records the version and the time; a version that changed meanwhile is
// shown anew.
import { useState } from 'preact/hooks';

import { ApiError } from '../../api/client';
import { termsApi } from '../../api/terms';
import { formatTime } from '../../ui/format';
import { Markdown } from '../../ui/Markdown';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';

export function TermsGate({ projectId, projectName, onAccepted }: { projectId: string; projectName: string; onAccepted: () => void }) {
  const [terms, reload] = useResource((signal) => termsApi.get(projectId, signal), [projectId]);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  async function accept(version: number) {
    setBusy(true);
    setError(null);
    try {
      await termsApi.accept(projectId, version);
      onAccepted();
    } catch (err) {
      if (err instanceof ApiError && (err.reason ?? err.code) === 'terms_changed') {
        setError(new Error('The terms changed while you read them. Read the new version below.'));
        reload();
      } else {
        setError(err as Error);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card terms" aria-labelledby="terms-title">
      <Loaded resource={terms} onRetry={reload}>
        {(t) => (
          <>
            <h1 id="terms-title">Terms of {projectName}</h1>
            <p class="muted">
              Version {t.version}, from {formatTime(t.created_at)}. {t.accepted_at ? `You accepted it on ${formatTime(t.accepted_at)}.` : 'Accept them to work on this project.'}
            </p>
            <div class="terms-text">
              <Markdown source={t.text} />
            </div>
            {error && <ErrorBox error={error} />}
            {!t.accepted_at && (
              <div class="form-actions row">
                <button type="button" class="button primary" disabled={busy} onClick={() => void accept(t.version)}>
                  I accept these terms
                </button>
                <a href="/work">Not now</a>
              </div>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}
