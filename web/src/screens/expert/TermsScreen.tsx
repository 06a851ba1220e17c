// The terms of a project on their own page (from "projects you could unlock"); accepted, the
// expert goes on to the project's workbench.
import { api } from '../../api/client';
import type { LockedProject, WorkProject } from '../../api/types';
import { navigate } from '../../app/router';
import { useResource } from '../../ui/resource';
import { TermsGate } from './TermsGate';

export function TermsScreen({ projectId }: { projectId: string }) {
  const [name] = useResource(async (signal) => {
    const r = await api.get<{ projects: WorkProject[]; locked?: LockedProject[] }>('/api/v1/work/projects', signal);
    return [...r.projects, ...(r.locked ?? [])].find((p) => p.id === projectId)?.name ?? 'the project';
  }, [projectId]);
  return (
    <section class="page narrow-page">
      <TermsGate
        projectId={projectId}
        projectName={name.state === 'ready' ? name.data : 'the project'}
        onAccepted={() => navigate(`/work/${encodeURIComponent(projectId)}`)}
      />
    </section>
  );
}
