// The expert workbench's screens and their paths.
import type { RouteDef } from '../../app/route-def';
import { WorkProjects } from './WorkProjects';

export const EXPERT_ROUTES: RouteDef[] = [
  { pattern: '/work', roles: ['expert'], title: 'Work', view: ({ me }) => <WorkProjects me={me} /> },
];
