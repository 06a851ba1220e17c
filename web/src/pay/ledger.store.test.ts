import { describe, expect, it } from 'vitest';

import type { LedgerPage, LedgerTransaction } from '../api/pay';
import { NO_FILTER } from './ledger-filter';
import { createLedgerStore } from './ledger.store';

function txn(id: string, over: Partial<LedgerTransaction> = {}): LedgerTransaction {
  return { id, kind: 'bonus', expert_id: 'usr_ada', lab_id: null, reverses: null, reversed_by: null, ...over } as LedgerTransaction;
}

/** A ledger of `ids` (newest first) answered a page at a time, recording each query. */
function fakeLedger(ids: string[]) {
  const queries: string[] = [];
  const load = async (query: string): Promise<LedgerPage> => {
    queries.push(query);
    const q = new URLSearchParams(query);
    const limit = Number(q.get('limit'));
    const before = q.get('before');
    const from = before ? ids.indexOf(before) + 1 : 0;
    const page = ids.slice(from, from + limit);
    return { transactions: page.map((id) => txn(id)), next_before: page.length === limit ? page[page.length - 1]! : null };
  };
  return { load, queries };
}

describe('the ledger list', () => {
  it('shows the newest page and then older ones until there are none', async () => {
    const ledger = fakeLedger(['t5', 't4', 't3', 't2', 't1']);
    const store = createLedgerStore(ledger.load, 2);
    await store.show({ ...NO_FILTER, kind: 'bonus' });
    expect(store.state.value).toBe('ready');
    expect(store.entries.value.map((t) => t.id)).toEqual(['t5', 't4']);
    await store.showOlder();
    await store.showOlder();
    expect(store.entries.value.map((t) => t.id)).toEqual(['t5', 't4', 't3', 't2', 't1']);
    expect(store.next.value).toBeNull();
    expect(ledger.queries).toEqual(['kind=bonus&limit=2', 'kind=bonus&before=t4&limit=2', 'kind=bonus&before=t2&limit=2']);
  });

  it('reads a filter chosen again only once', async () => {
    const ledger = fakeLedger(['t1']);
    const store = createLedgerStore(ledger.load, 10);
    await store.select(NO_FILTER);
    await store.select({ ...NO_FILTER });
    await store.select({ ...NO_FILTER, kind: 'payout' });
    await store.select({ ...NO_FILTER, kind: 'payout' });
    await store.show({ ...NO_FILTER, kind: 'payout' });
    expect(ledger.queries).toEqual(['limit=10', 'kind=payout&limit=10', 'kind=payout&limit=10']);
  });

  it('drops the answer of a filter no longer shown', async () => {
    let release: (p: LedgerPage) => void = () => {};
    const slow = new Promise<LedgerPage>((r) => (release = r));
    const store = createLedgerStore((q) => (q.includes('expert_id') ? slow : Promise.resolve({ transactions: [txn('lab')], next_before: null })), 10);
    const first = store.show({ ...NO_FILTER, expert: 'usr_ada' });
    await store.show({ ...NO_FILTER, lab: 'org_mer' });
    release({ transactions: [txn('ada')], next_before: null });
    await first;
    expect(store.entries.value.map((t) => t.id)).toEqual(['lab']);
  });

  it('keeps what it showed when an older page fails, and says so', async () => {
    const store = createLedgerStore(async (q) => {
      if (q.includes('before')) throw new Error('offline');
      return { transactions: [txn('t2')], next_before: 't2' };
    }, 1);
    await store.show(NO_FILTER);
    await store.showOlder();
    expect(store.entries.value.map((t) => t.id)).toEqual(['t2']);
    expect(store.olderError.value?.message).toBe('offline');
    expect(store.loadingOlder.value).toBe(false);
  });

  it('says when the list cannot be read', async () => {
    const store = createLedgerStore(async () => {
      throw new Error('forbidden');
    });
    await store.show(NO_FILTER);
    expect(store.state.value).toBe('error');
    expect(store.error.value?.message).toBe('forbidden');
  });

  it('lists a posted transaction first, once, and only under a filter that shows it', async () => {
    const store = createLedgerStore(fakeLedger(['t1']).load);
    await store.show({ ...NO_FILTER, kind: 'bonus' });
    store.posted(txn('t2'));
    store.posted(txn('t2'));
    store.posted(txn('t3', { kind: 'adjustment' }));
    expect(store.entries.value.map((t) => t.id)).toEqual(['t2', 't1']);
  });

  it('marks a reversed transaction and lists its reversal', async () => {
    const store = createLedgerStore(fakeLedger(['t1']).load);
    await store.show(NO_FILTER);
    store.reversed(txn('r1', { kind: 'reversal', reverses: 't1' }));
    expect(store.entries.value.map((t) => [t.id, t.reversed_by])).toEqual([
      ['r1', null],
      ['t1', 'r1'],
    ]);
    expect(store.byId.value.get('t1')?.reversed_by).toBe('r1');
  });
});
