// Importing items from a JSONL file: the file goes to the server as it is (streamed from disk,
// never read into the page), with a progress bar while it is sent. Then what was imported, or
// the bad lines; the server stores nothing from a file with a bad line, so the lab fixes the
// file and uploads it again (lines with an external_id already stored are skipped).
import { useRef, useState } from 'preact/hooks';

import { ApiError } from '../../api/client';
import { type ImportSummary, labApi, type LabProject } from '../../api/lab';
import type { UploadProgress } from '../../api/upload';
import { formatBytes } from '../../lab/import-report';
import { formatCount, percent } from '../../ui/format';
import { ErrorBox } from '../../ui/Status';
import { ImportErrors } from './ImportErrors';

type UploadState =
  | { kind: 'idle' }
  | { kind: 'sending'; name: string; progress: UploadProgress }
  | { kind: 'imported'; name: string; summary: ImportSummary }
  | { kind: 'refused'; name: string; error: ApiError }
  | { kind: 'failed'; error: Error };

function Summary({ name, summary }: { name: string; summary: ImportSummary }) {
  return (
    <div class="summary-ok">
      <p>
        <strong>{name}</strong> is imported: {formatCount(summary.items)} new item{summary.items === 1 ? '' : 's'},{' '}
        {formatCount(summary.gold_items)} gold
        {summary.existing > 0 && `, ${formatCount(summary.existing)} already here (same external_id) and skipped`}.
      </p>
    </div>
  );
}

export function UploadCard({ project, onImported }: { project: LabProject; onImported: () => void }) {
  const [state, setState] = useState<UploadState>({ kind: 'idle' });
  const input = useRef<HTMLInputElement>(null);
  const cancel = useRef<AbortController | null>(null);

  async function upload(e: Event) {
    e.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setState({ kind: 'failed', error: new Error('Choose a JSONL file first.') });
      return;
    }
    const controller = new AbortController();
    cancel.current = controller;
    setState({ kind: 'sending', name: file.name, progress: { loaded: 0, total: file.size } });
    try {
      const summary = await labApi.importItems(
        project.id,
        file,
        (progress) => setState({ kind: 'sending', name: file.name, progress }),
        controller.signal,
      );
      setState({ kind: 'imported', name: file.name, summary });
      onImported();
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') {
        setState({ kind: 'idle' });
      } else if (err instanceof ApiError && err.status === 422) {
        setState({ kind: 'refused', name: file.name, error: err });
      } else {
        setState({ kind: 'failed', error: err as Error });
      }
    } finally {
      cancel.current = null;
      // A file fixed on disk must be chosen again: the browser keeps the old one's snapshot.
      if (input.current) input.current.value = '';
    }
  }

  const sending = state.kind === 'sending';
  return (
    <section class="card" aria-labelledby="upload-title">
      <h2 id="upload-title">Import items</h2>
      <p class="muted">
        A JSONL file, one item a line: <code>{'{"data": {…}, "external_id"?, "gold"?, "priority"?}'}</code> or the
        field values alone. Lines whose <code>external_id</code> is already here are skipped, so uploading again is safe.
      </p>
      <form class="upload" onSubmit={upload} noValidate>
        <label for="upload-file">JSONL file</label>
        <div class="upload-row">
          <input id="upload-file" ref={input} type="file" accept=".jsonl,.ndjson,.json,.txt,application/x-ndjson,application/jsonl" disabled={sending} />
          <button type="submit" class="button primary" disabled={sending}>
            Upload
          </button>
          {sending && (
            <button type="button" class="button" onClick={() => cancel.current?.abort()}>
              Cancel upload
            </button>
          )}
        </div>
        {sending && (
          <div>
            <progress id="upload-progress" value={state.progress.loaded} max={state.progress.total || 1} aria-label={`Uploading ${state.name}`} />
            <p class="muted" role="status">
              {state.progress.loaded < state.progress.total
                ? `Sending ${state.name}: ${formatBytes(state.progress.loaded)} of ${formatBytes(state.progress.total)} (${percent(state.progress.loaded, state.progress.total)})`
                : `Sent ${formatBytes(state.progress.total)}; the server is checking every line…`}
            </p>
          </div>
        )}
      </form>
      <div aria-live="polite">
        {state.kind === 'imported' && <Summary name={state.name} summary={state.summary} />}
        {state.kind === 'refused' && <ImportErrors name={state.name} error={state.error} />}
      </div>
      {state.kind === 'failed' && <ErrorBox error={state.error} />}
    </section>
  );
}
