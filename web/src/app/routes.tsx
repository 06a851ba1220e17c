// The route table: which screen answers which path, for which roles. Each area of the app
// (expert workbench, lab console, operator console) keeps its routes beside its screens; the
// shell's NAV links to them.
import { ApiTokens } from '../screens/ApiTokens';
import { EXPERT_ROUTES } from '../screens/expert/routes';
import { LAB_ROUTES } from '../screens/lab/routes';
import { Experts } from '../screens/operator/Experts';
import { HealthScreen } from '../screens/operator/Health';
import { Labs } from '../screens/operator/Labs';
import { Users } from '../screens/operator/Users';
import type { Role } from '../api/types';
import { EVERYONE, type RouteDef } from './route-def';
import { matchPath, type Params } from './router';

export type { RouteDef } from './route-def';

const OPERATOR_ROUTES: RouteDef[] = [
  { pattern: '/admin/labs', roles: ['operator'], title: 'Labs', view: () => <Labs /> },
  { pattern: '/admin/users', roles: ['operator'], title: 'Users', view: ({ me }) => <Users me={me} /> },
  { pattern: '/admin/experts', roles: ['operator'], title: 'Experts', view: () => <Experts /> },
  { pattern: '/admin/health', roles: ['operator'], title: 'Health', view: () => <HealthScreen /> },
];

export const ROUTES: RouteDef[] = [
  ...EXPERT_ROUTES,
  ...LAB_ROUTES,
  ...OPERATOR_ROUTES,
  { pattern: '/tokens', roles: EVERYONE, title: 'API tokens', view: () => <ApiTokens /> },
];

/** The route for `path` that `role` may open, with its parameters; null when none. */
export function resolve(path: string, role: Role): { route: RouteDef; params: Params } | null {
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params && route.roles.includes(role)) return { route, params };
  }
  return null;
}
