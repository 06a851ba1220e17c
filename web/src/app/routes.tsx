// The route table: which screen answers which path, for which roles. Each area of the app
// (expert workbench, lab console, operator console) keeps its routes beside its screens; the
// shell's NAV links to them.
import { ApiTokens } from '../screens/ApiTokens';
import { EXPERT_ROUTES } from '../screens/expert/routes';
import { LAB_ROUTES } from '../screens/lab/routes';
import { OPERATOR_ROUTES } from '../screens/operator/routes';
import type { Role } from '../api/types';
import { EVERYONE, type RouteDef } from './route-def';
import { matchPath, type Params } from './router';

export type { RouteDef } from './route-def';

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
