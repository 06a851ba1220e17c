// The operator's pay console: tabs for pay bands and markup, labs' currencies, time disputes,
// payout batches, invoices and the ledger.
import type { ComponentChildren } from 'preact';

import { location } from '../../app/router';

const TABS = [
  { href: '/admin/pay', label: 'Bands and markup' },
  { href: '/admin/pay/labs', label: 'Labs' },
  { href: '/admin/pay/disputes', label: 'Disputes' },
  { href: '/admin/pay/payouts', label: 'Payouts' },
  { href: '/admin/pay/invoices', label: 'Invoices' },
  { href: '/admin/pay/ledger', label: 'Ledger' },
];

export function PayFrame({ children }: { children: ComponentChildren }) {
  const path = location.value.path;
  return (
    <section class="page">
      <h1>Pay</h1>
      <nav class="tabs" aria-label="Pay">
        <ul>
          {TABS.map((t) => (
            <li key={t.href}>
              <a href={t.href} aria-current={path === t.href || (t.href !== '/admin/pay' && path.startsWith(`${t.href}/`)) ? 'page' : undefined}>
                {t.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </section>
  );
}
