// A project's Pay tab: spend against the budget, what a label costs, and the rate, price and
// budget.
import { useState } from 'preact/hooks';

import type { LabProject } from '../../api/lab';
import { payApi, type ProjectPay } from '../../api/pay';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { CostsCard } from './CostsCard';
import { ProjectPayForm } from './ProjectPayForm';
import { SpendCard } from './SpendCard';

export function ProjectPayTab({ project, canEdit }: { project: LabProject; canEdit: boolean }) {
  const [pay, reload] = useResource((signal) => payApi.projectPay(project.id, signal), [project.id]);
  const [costs, reloadCosts] = useResource((signal) => payApi.costs(project.id, signal), [project.id]);
  const [latest, setLatest] = useState<ProjectPay | null>(null);
  return (
    <div class="overview">
      <Loaded resource={pay} onRetry={reload}>
        {(p) => <SpendCard pay={latest ?? p} />}
      </Loaded>
      <Loaded resource={costs} onRetry={reloadCosts}>
        {(k) => <CostsCard costs={k} />}
      </Loaded>
      <div class="wide">
        <Loaded resource={pay} onRetry={reload}>
          {(p) => <ProjectPayForm projectId={project.id} pay={p} canEdit={canEdit} onSaved={setLatest} />}
        </Loaded>
      </div>
    </div>
  );
}
