// The lab console's screens and their paths.
import type { RouteDef } from '../../app/route-def';
import { LAB } from '../../app/route-def';
import { LabProjects } from './LabProjects';
import { Members } from './Members';

export const LAB_ROUTES: RouteDef[] = [
  { pattern: '/lab/projects', roles: LAB, title: 'Projects', view: () => <LabProjects /> },
  { pattern: '/lab/members', roles: LAB, title: 'Members', view: ({ me }) => <Members me={me} /> },
];
