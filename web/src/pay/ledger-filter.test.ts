import { describe, expect, it } from 'vitest';

import type { LedgerTransaction } from '../api/pay';
import { admits, filterFromSearch, isFiltered, NO_FILTER, searchFromFilter, transactionsQuery } from './ledger-filter';

const BONUS = { id: 'txn_b', kind: 'bonus', expert_id: 'usr_ada', lab_id: null } as LedgerTransaction;
const CHARGE = { id: 'txn_c', kind: 'decision', expert_id: 'usr_ada', lab_id: 'org_mer' } as LedgerTransaction;

describe('the ledger’s filters', () => {
  it('read from the page’s address and written back to it the same', () => {
    const f = filterFromSearch('?kind=bonus&expert=usr_ada&lab=org_mer');
    expect(f).toEqual({ kind: 'bonus', expert: 'usr_ada', lab: 'org_mer' });
    expect(searchFromFilter(f)).toBe('?kind=bonus&expert=usr_ada&lab=org_mer');
    expect(filterFromSearch(searchFromFilter(f))).toEqual(f);
  });

  it('are empty without a query and leave an unknown kind out', () => {
    expect(filterFromSearch('')).toEqual(NO_FILTER);
    expect(searchFromFilter(NO_FILTER)).toBe('');
    expect(filterFromSearch('?kind=gift&lab=org_x')).toEqual({ kind: '', expert: '', lab: 'org_x' });
    expect(searchFromFilter({ kind: '', expert: '', lab: 'org_x' })).toBe('?lab=org_x');
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(isFiltered({ ...NO_FILTER, kind: 'payout' })).toBe(true);
  });

  it('ask the route by its own names, from a transaction on', () => {
    expect(transactionsQuery(NO_FILTER)).toBe('');
    expect(transactionsQuery({ kind: 'reversal', expert: 'usr_ada', lab: '' }, 'txn_9', 50)).toBe('expert_id=usr_ada&kind=reversal&before=txn_9&limit=50');
    expect(transactionsQuery({ kind: '', expert: '', lab: 'org a&b' })).toBe('lab_id=org+a%26b');
  });

  it('admit what the route would list', () => {
    expect(admits(NO_FILTER, BONUS)).toBe(true);
    expect(admits({ ...NO_FILTER, kind: 'bonus' }, CHARGE)).toBe(false);
    expect(admits({ ...NO_FILTER, expert: 'usr_ada' }, CHARGE)).toBe(true);
    expect(admits({ ...NO_FILTER, lab: 'org_mer' }, BONUS)).toBe(false);
    expect(admits({ kind: 'decision', expert: 'usr_ada', lab: 'org_mer' }, CHARGE)).toBe(true);
  });
});
