// The operator's ledger: a bonus or an adjustment posted with a reason, and every transaction
// newest first under the filters the page's address keeps, each reversible once with a reason.
import { useEffect, useMemo } from 'preact/hooks';

import { api } from '../../../api/client';
import type { Named } from '../../../api/pay';
import type { Lab, User } from '../../../api/types';
import { location, navigate } from '../../../app/router';
import { filterFromSearch, type LedgerFilter, searchFromFilter } from '../../../pay/ledger-filter';
import { createLedgerStore } from '../../../pay/ledger.store';
import { useResource } from '../../../ui/resource';
import { Loaded } from '../../../ui/Status';
import { AdjustmentForm } from './AdjustmentForm';
import { LedgerFilters } from './LedgerFilters';
import { LedgerList } from './LedgerList';

export const LEDGER_PATH = '/admin/pay/ledger';

export interface People {
  experts: (Named & { email: string; disabled?: boolean })[];
  labs: Named[];
}

async function loadPeople(signal: AbortSignal): Promise<People> {
  const [experts, labs] = await Promise.all([
    api.get<{ experts: User[] }>('/api/v1/experts', signal),
    api.get<{ labs: Lab[] }>('/api/v1/labs', signal),
  ]);
  return { experts: experts.experts, labs: labs.labs };
}

export function Ledger() {
  const [people, reload] = useResource(loadPeople, []);
  const store = useMemo(() => createLedgerStore(), []);
  const search = searchFromFilter(filterFromSearch(location.value.search));
  // The address names the filter: on opening, reloading, back and forward.
  useEffect(() => {
    void store.select(filterFromSearch(search));
  }, [search]);
  useEffect(() => () => store.stop(), []);
  const setFilter = (f: LedgerFilter) => {
    void store.select(f);
    navigate(`${LEDGER_PATH}${searchFromFilter(f)}`, { replace: true, keepScroll: true });
  };
  return (
    <div class="stack">
      <Loaded resource={people} onRetry={reload}>
        {(p) => <AdjustmentForm people={p} onPosted={store.posted} />}
      </Loaded>
      <section class="card stack-tight" aria-labelledby="ledger-title">
        <h2 id="ledger-title">Transactions</h2>
        <p class="muted">Newest first. Each posting is a debit or a credit; a transaction’s sides are equal.</p>
        {people.state === 'ready' && <LedgerFilters filter={store.filter.value} people={people.data} onChange={setFilter} />}
        <LedgerList store={store} />
      </section>
    </div>
  );
}
