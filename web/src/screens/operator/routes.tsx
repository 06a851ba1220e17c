// The operator console's paths; its screens load on first use (views.tsx).
import { lazyViews } from '../../app/lazy';
import type { RouteDef } from '../../app/route-def';

const view = lazyViews(() => import('./views'));

export const OPERATOR_ROUTES: RouteDef[] = [
  { pattern: '/admin/labs', roles: ['operator'], title: 'Labs', view: view('labs') },
  { pattern: '/admin/users', roles: ['operator'], title: 'Users', view: view('users') },
  { pattern: '/admin/experts', roles: ['operator'], title: 'Experts', view: view('experts') },
  { pattern: '/admin/sign-up', roles: ['operator'], title: 'Expert sign-up', view: view('signup') },
  { pattern: '/admin/vetting', roles: ['operator'], title: 'Vetting', view: view('vetting') },
  { pattern: '/admin/exams', roles: ['operator'], title: 'Exam banks', view: view('examBanks') },
  { pattern: '/admin/exams/:id', roles: ['operator'], title: 'Exam bank', view: view('examBank') },
  { pattern: '/admin/standings', roles: ['operator'], title: 'Paused experts', view: view('standings') },
  { pattern: '/admin/pay', roles: ['operator'], title: 'Pay bands', view: view('payBands') },
  { pattern: '/admin/pay/labs', roles: ['operator'], title: 'Labs’ currency', view: view('payLabs') },
  { pattern: '/admin/pay/disputes', roles: ['operator'], title: 'Time disputes', view: view('payDisputes') },
  { pattern: '/admin/pay/payouts', roles: ['operator'], title: 'Payouts', view: view('payouts') },
  { pattern: '/admin/pay/invoices', roles: ['operator'], title: 'Invoices', view: view('invoices') },
  { pattern: '/admin/pay/invoices/:id', roles: ['operator'], title: 'Invoice', view: view('invoice') },
  { pattern: '/admin/pay/ledger', roles: ['operator'], title: 'Ledger', view: view('ledger') },
  { pattern: '/admin/domains', roles: ['operator'], title: 'Domains', view: view('domains') },
  { pattern: '/admin/health', roles: ['operator'], title: 'Health', view: view('health') },
];
