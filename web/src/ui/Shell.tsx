// The frame of every signed-in screen: the product name, the navigation the role may use, who
// is signed in and the way out.
import type { ComponentChildren } from 'preact';

import type { Me, Role } from '../api/types';
import { location } from '../app/router';

export interface NavItem {
  href: string;
  label: string;
}

const TOKENS: NavItem = { href: '/tokens', label: 'API tokens' };

export const NAV: Record<Role, NavItem[]> = {
  expert: [
    { href: '/work', label: 'Work' },
    { href: '/work/answers', label: 'Answers' },
    { href: '/work/earnings', label: 'Earnings' },
    { href: '/work/exams', label: 'Exams' },
    { href: '/work/credentials', label: 'Credentials' },
    { href: '/work/profile', label: 'Profile' },
    { href: '/work/history', label: 'Past work' },
    TOKENS,
  ],
  owner: [{ href: '/lab/projects', label: 'Projects' }, { href: '/lab/spend', label: 'Spend' }, { href: '/lab/members', label: 'Members' }, TOKENS],
  member: [{ href: '/lab/projects', label: 'Projects' }, { href: '/lab/spend', label: 'Spend' }, { href: '/lab/members', label: 'Members' }, TOKENS],
  operator: [
    { href: '/admin/labs', label: 'Labs' },
    { href: '/admin/users', label: 'Users' },
    { href: '/admin/experts', label: 'Experts' },
    { href: '/admin/sign-up', label: 'Sign-up' },
    { href: '/admin/vetting', label: 'Vetting' },
    { href: '/admin/exams', label: 'Exams' },
    { href: '/admin/domains', label: 'Domains' },
    { href: '/admin/standings', label: 'Paused' },
    { href: '/admin/pay', label: 'Pay' },
    { href: '/admin/health', label: 'Health' },
    TOKENS,
  ],
};

const ROLE_LABEL: Record<Role, string> = {
  expert: 'Expert',
  owner: 'Lab owner',
  member: 'Lab member',
  operator: 'Operator',
};

const REVIEWING: NavItem[] = [
  { href: '/work/review', label: 'Review' },
  { href: '/work/gradings', label: 'Grading' },
];

/** The links `me` may use: the role's, and review and exam grading for an expert with
 * reviewer rights. */
export function navFor(me: Pick<Me, 'role' | 'qualifications'>): NavItem[] {
  const items = NAV[me.role];
  if (me.role !== 'expert' || !me.qualifications.some((q) => q.reviewer && !q.expired)) return items;
  return [...items.slice(0, -2), ...REVIEWING, ...items.slice(-2)];
}

/** The link for the page at `path`: the longest one that is the path or a prefix of it. */
export function currentLink(items: NavItem[], path: string): string | undefined {
  return items
    .filter((i) => path === i.href || path.startsWith(`${i.href}/`))
    .reduce<string | undefined>((best, i) => (best === undefined || i.href.length > best.length ? i.href : best), undefined);
}

export function Shell({
  me,
  onSignOut,
  children,
}: {
  me: Me;
  onSignOut: () => void;
  children: ComponentChildren;
}) {
  const items = navFor(me);
  const active = currentLink(items, location.value.path);
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/" aria-label="Fachwerk home">
          Fachwerk
        </a>
        <nav aria-label="Main">
          <ul>
            {items.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.href === active ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="who-name">{me.name}</span>
          <span class="who-role">
            {ROLE_LABEL[me.role]}
            {me.lab ? ` · ${me.lab.name}` : ''}
          </span>
          <button type="button" class="button subtle" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
