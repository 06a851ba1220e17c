// What a route is: a path pattern, the roles that may open it, and the screen that answers it.
import type { JSX } from 'preact';

import type { Me, Role } from '../api/types';
import type { Params } from './router';

export interface ViewProps {
  me: Me;
  params: Params;
}

export interface RouteDef {
  pattern: string;
  roles: readonly Role[];
  title: string;
  view: (props: ViewProps) => JSX.Element;
}

export const LAB: readonly Role[] = ['owner', 'member'];
export const EVERYONE: readonly Role[] = ['expert', 'owner', 'member', 'operator'];
