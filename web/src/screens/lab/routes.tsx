// The lab console's paths; its screens load on first use (views.tsx).
import { lazyViews } from '../../app/lazy';
import type { RouteDef } from '../../app/route-def';
import { LAB } from '../../app/route-def';

const view = lazyViews(() => import('./views'));

export const LAB_ROUTES: RouteDef[] = [
  { pattern: '/lab/projects', roles: LAB, title: 'Projects', view: view('projects') },
  { pattern: '/lab/projects/new', roles: LAB, title: 'New project', view: view('newProject') },
  { pattern: '/lab/projects/:id', roles: LAB, title: 'Project', view: view('overview') },
  { pattern: '/lab/projects/:id/quality', roles: LAB, title: 'Project quality', view: view('quality') },
  { pattern: '/lab/projects/:id/items', roles: LAB, title: 'Project items', view: view('items') },
  { pattern: '/lab/projects/:id/requirements', roles: LAB, title: 'Project requirements', view: view('requirements') },
  { pattern: '/lab/projects/:id/workforce', roles: LAB, title: 'Project workforce', view: view('workforce') },
  { pattern: '/lab/projects/:id/review', roles: LAB, title: 'Project review', view: view('review') },
  { pattern: '/lab/projects/:id/pay', roles: LAB, title: 'Project pay', view: view('pay') },
  { pattern: '/lab/projects/:id/items/:itemId', roles: LAB, title: 'Item', view: view('item') },
  { pattern: '/lab/spend', roles: LAB, title: 'Spend', view: view('spend') },
  { pattern: '/lab/invoices/:invoiceId', roles: LAB, title: 'Invoice', view: view('invoice') },
  { pattern: '/lab/members', roles: LAB, title: 'Members', view: view('members') },
];
