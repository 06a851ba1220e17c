// Pausing, resuming and archiving a project. Paused: no new leases, running ones finish.
// Archived: running leases end at once, so it asks first.
import { useState } from 'preact/hooks';

import { labApi, type LabProject, type ProjectStatus } from '../../api/lab';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { FieldError } from './FieldError';

const STEPS: Record<ProjectStatus, { label: string; to: ProjectStatus }> = {
  active: { label: 'Pause', to: 'paused' },
  paused: { label: 'Resume', to: 'active' },
  archived: { label: 'Reopen', to: 'active' },
};

export function StatusActions({ project, onChanged }: { project: LabProject; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function setStatus(status: ProjectStatus) {
    setBusy(true);
    setError(null);
    try {
      await labApi.setStatus(project.id, status);
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  // The one step back or forth from each status; archiving, hard to undo, has its own button.
  const step = STEPS[project.status];
  return (
    <div class="head-actions">
      <button type="button" class="button small" disabled={busy} onClick={() => void setStatus(step.to)}>
        {step.label}
      </button>
      {project.status !== 'archived' && (
        <ConfirmButton
          label="Archive"
          confirmLabel="Archive and end running leases"
          accessibleName={`Archive ${project.name}`}
          onConfirm={() => void setStatus('archived')}
        />
      )}
      <FieldError error={error} />
    </div>
  );
}
