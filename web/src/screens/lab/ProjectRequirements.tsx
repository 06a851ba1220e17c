// What a project asks of experts beyond its domain and level: a minimum exam score, verified
// credential kinds, languages, competitors whose people are excluded, terms to accept, and the
// standing below which an expert is paused; and the experts excluded by pseudonym.
import { useState } from 'preact/hooks';

import type { LabProject } from '../../api/lab';
import { NO_REQUIREMENTS } from '../../lab/requirements';
import { ExclusionsCard } from './ExclusionsCard';
import { RequirementsForm } from './RequirementsForm';

export function ProjectRequirements({ project, reload }: { project: LabProject; reload: () => void }) {
  // The form starts anew from what the server stored; the note of the last save outlives it.
  const [note, setNote] = useState('');
  return (
    <div class="stack narrow">
      <p class="form-note" role="status">
        {note}
      </p>
      <RequirementsForm
        key={project.updated_at}
        project={project}
        current={project.requirements ?? NO_REQUIREMENTS}
        onSaved={(message) => {
          setNote(message);
          reload();
        }}
      />
      <ExclusionsCard projectId={project.id} />
    </div>
  );
}
