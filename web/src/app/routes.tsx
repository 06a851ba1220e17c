// The route table: which screen answers which path, for which roles. Later capabilities add
// their screens here and their links in the shell's NAV.
import type { JSX } from 'preact';

import type { Me, Role } from '../api/types';
import { ApiTokens } from '../screens/ApiTokens';
import { WorkProjects } from '../screens/expert/WorkProjects';
import { LabProjects } from '../screens/lab/LabProjects';
import { Members } from '../screens/lab/Members';
import { Experts } from '../screens/operator/Experts';
import { HealthScreen } from '../screens/operator/Health';
import { Labs } from '../screens/operator/Labs';
import { Users } from '../screens/operator/Users';
import { matchPath, type Params } from './router';

export interface RouteDef {
  pattern: string;
  roles: readonly Role[];
  title: string;
  view: (props: { me: Me; params: Params }) => JSX.Element;
}

const LAB: readonly Role[] = ['owner', 'member'];
const EVERYONE: readonly Role[] = ['expert', 'owner', 'member', 'operator'];

export const ROUTES: RouteDef[] = [
  { pattern: '/work', roles: ['expert'], title: 'Work', view: ({ me }) => <WorkProjects me={me} /> },
  { pattern: '/lab/projects', roles: LAB, title: 'Projects', view: () => <LabProjects /> },
  { pattern: '/lab/members', roles: LAB, title: 'Members', view: ({ me }) => <Members me={me} /> },
  { pattern: '/admin/labs', roles: ['operator'], title: 'Labs', view: () => <Labs /> },
  { pattern: '/admin/users', roles: ['operator'], title: 'Users', view: ({ me }) => <Users me={me} /> },
  { pattern: '/admin/experts', roles: ['operator'], title: 'Experts', view: () => <Experts /> },
  { pattern: '/tokens', roles: EVERYONE, title: 'API tokens', view: () => <ApiTokens /> },
  { pattern: '/admin/health', roles: ['operator'], title: 'Health', view: () => <HealthScreen /> },
];

/** The route for `path` that `role` may open, with its parameters; null when none. */
export function resolve(path: string, role: Role): { route: RouteDef; params: Params } | null {
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params && route.roles.includes(role)) return { route, params };
  }
  return null;
}
