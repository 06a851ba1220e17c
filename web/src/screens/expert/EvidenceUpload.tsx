// Sending a credential's evidence: a PDF or image, streamed from disk with a progress bar; the
// server checks the type by content and says why it refuses a file.
import { useRef, useState } from 'preact/hooks';

import { ApiError } from '../../api/client';
import { type Credential, uploadEvidence } from '../../api/experts';
import type { UploadProgress } from '../../api/upload';
import { EVIDENCE_TYPES, evidenceProblem } from '../../experts/credentials';
import { formatBytes } from '../../lab/import-report';
import { percent } from '../../ui/format';

type State = { kind: 'idle' } | { kind: 'sending'; name: string; progress: UploadProgress } | { kind: 'error'; message: string };

/** The message for a refused upload: the server's, or the detail naming the body or type. */
function refusal(err: unknown): string {
  if (err instanceof ApiError) {
    const detail = err.forField('body') ?? err.forField('content_type');
    return detail ? `${err.message}: ${detail}` : err.message;
  }
  return (err as Error).message;
}

export function EvidenceUpload({ credential, onUploaded }: { credential: Credential; onUploaded: (c: Credential) => void }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const input = useRef<HTMLInputElement>(null);
  const cancel = useRef<AbortController | null>(null);
  const id = `ev-${credential.id}`;

  async function send(e: Event) {
    e.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setState({ kind: 'error', message: 'Choose a file first.' });
      return;
    }
    const problem = evidenceProblem(file);
    if (problem) {
      setState({ kind: 'error', message: problem });
      return;
    }
    const controller = new AbortController();
    cancel.current = controller;
    setState({ kind: 'sending', name: file.name, progress: { loaded: 0, total: file.size } });
    try {
      const c = await uploadEvidence(credential.id, file, (progress) => setState({ kind: 'sending', name: file.name, progress }), controller.signal);
      setState({ kind: 'idle' });
      onUploaded(c);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') setState({ kind: 'idle' });
      else setState({ kind: 'error', message: refusal(err) });
    } finally {
      cancel.current = null;
      if (input.current) input.current.value = '';
    }
  }

  const sending = state.kind === 'sending';
  return (
    <form class="evidence-upload" onSubmit={send} noValidate>
      <label for={id}>Evidence for {credential.title} (PDF or image, up to 10 MB)</label>
      <div class="upload-row">
        <input
          id={id}
          ref={input}
          type="file"
          accept={EVIDENCE_TYPES.join(',')}
          disabled={sending}
          aria-describedby={state.kind === 'error' ? `${id}-error` : undefined}
        />
        <button type="submit" class="button primary" disabled={sending}>
          Upload evidence
        </button>
        {sending && (
          <button type="button" class="button" onClick={() => cancel.current?.abort()}>
            Cancel upload
          </button>
        )}
      </div>
      {sending && (
        <div>
          <progress value={state.progress.loaded} max={state.progress.total || 1} aria-label={`Uploading ${state.name}`} />
          <p class="muted" role="status">
            {state.progress.loaded < state.progress.total
              ? `Sending ${state.name}: ${formatBytes(state.progress.loaded)} of ${formatBytes(state.progress.total)} (${percent(state.progress.loaded, state.progress.total)})`
              : `Sent ${formatBytes(state.progress.total)}; the server is checking the file…`}
          </p>
        </div>
      )}
      {state.kind === 'error' && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {state.message}
        </p>
      )}
    </form>
  );
}
