// The lab console's screens and their paths.
import type { RouteDef } from '../../app/route-def';
import { LAB } from '../../app/route-def';
import { LabProjects } from './LabProjects';
import { Members } from './Members';
import { NewProject } from './NewProject';
import { ProjectFrame } from './ProjectFrame';
import { ProjectItems } from './ProjectItems';
import { ProjectOverview } from './ProjectOverview';
import { ProjectQuality } from './ProjectQuality';

export const LAB_ROUTES: RouteDef[] = [
  { pattern: '/lab/projects', roles: LAB, title: 'Projects', view: () => <LabProjects /> },
  { pattern: '/lab/projects/new', roles: LAB, title: 'New project', view: () => <NewProject /> },
  {
    pattern: '/lab/projects/:id',
    roles: LAB,
    title: 'Project',
    view: ({ params }) => (
      <ProjectFrame id={params.id!}>{(p, reload) => <ProjectOverview project={p} reload={reload} />}</ProjectFrame>
    ),
  },
  {
    pattern: '/lab/projects/:id/quality',
    roles: LAB,
    title: 'Project quality',
    view: ({ params }) => <ProjectFrame id={params.id!}>{(p) => <ProjectQuality project={p} />}</ProjectFrame>,
  },
  {
    pattern: '/lab/projects/:id/items',
    roles: LAB,
    title: 'Project items',
    view: ({ params }) => <ProjectFrame id={params.id!}>{(p) => <ProjectItems project={p} />}</ProjectFrame>,
  },
  { pattern: '/lab/members', roles: LAB, title: 'Members', view: ({ me }) => <Members me={me} /> },
];
