// The expert workbench's screens and their paths.
import type { RouteDef } from '../../app/route-def';
import { History } from './History';
import { Workbench } from './Workbench';
import { WorkProjects } from './WorkProjects';

export const EXPERT_ROUTES: RouteDef[] = [
  { pattern: '/work', roles: ['expert'], title: 'Work', view: ({ me }) => <WorkProjects me={me} /> },
  { pattern: '/work/history', roles: ['expert'], title: 'Past work', view: () => <History /> },
  { pattern: '/work/:projectId', roles: ['expert'], title: 'Workbench', view: ({ params }) => <Workbench projectId={params.projectId!} /> },
];
