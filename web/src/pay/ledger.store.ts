// The operator's ledger list: the transactions under a filter, newest first, a page at a time
// ("Show older" asks for the page before the oldest shown); a transaction posted or reversed
// here is shown at once without reading the list again. Components read the signals; the
// actions change them.
import { computed, signal } from '@preact/signals';

import { type LedgerPage, type LedgerTransaction, payApi } from '../api/pay';
import { admits, type LedgerFilter, NO_FILTER, searchFromFilter, transactionsQuery } from './ledger-filter';

export type LoadPage = (query: string, signal: AbortSignal) => Promise<LedgerPage>;

export const PAGE_SIZE = 50;

export function createLedgerStore(load: LoadPage = (q, s) => payApi.transactions(q, s), pageSize = PAGE_SIZE) {
  const filter = signal<LedgerFilter>(NO_FILTER);
  const entries = signal<LedgerTransaction[]>([]);
  /** Where the next older page starts; null when the oldest is shown. */
  const next = signal<string | null>(null);
  const state = signal<'loading' | 'ready' | 'error'>('loading');
  const error = signal<Error | null>(null);
  const loadingOlder = signal(false);
  const olderError = signal<Error | null>(null);
  const byId = computed(() => new Map(entries.value.map((t) => [t.id, t])));
  let controller = new AbortController();
  let started = false;

  function append(list: LedgerTransaction[]) {
    const seen = new Set(entries.value.map((t) => t.id));
    entries.value = [...entries.value, ...list.filter((t) => !seen.has(t.id))];
  }

  /** Shows the newest page under `f`; an answer to an earlier request is dropped. */
  async function show(f: LedgerFilter): Promise<void> {
    started = true;
    controller.abort();
    controller = new AbortController();
    const mine = controller.signal;
    filter.value = f;
    entries.value = [];
    next.value = null;
    error.value = null;
    olderError.value = null;
    loadingOlder.value = false;
    state.value = 'loading';
    try {
      const page = await load(transactionsQuery(f, null, pageSize), mine);
      if (mine.aborted) return;
      append(page.transactions);
      next.value = page.next_before;
      state.value = 'ready';
    } catch (e) {
      if (mine.aborted) return;
      error.value = e as Error;
      state.value = 'error';
    }
  }

  /** Shows `f` unless it is shown (or loading) already: the filter chosen on the screen and
   * the one its address then names are the same, and are read once. */
  function select(f: LedgerFilter): Promise<void> {
    if (started && searchFromFilter(f) === searchFromFilter(filter.value)) return Promise.resolve();
    return show(f);
  }

  /** Adds the page older than the oldest shown. */
  async function showOlder(): Promise<void> {
    const before = next.value;
    if (!before || loadingOlder.value) return;
    const mine = controller.signal;
    loadingOlder.value = true;
    olderError.value = null;
    try {
      const page = await load(transactionsQuery(filter.value, before, pageSize), mine);
      if (mine.aborted) return;
      append(page.transactions);
      next.value = page.next_before;
    } catch (e) {
      if (mine.aborted) return;
      olderError.value = e as Error;
    } finally {
      if (!mine.aborted) loadingOlder.value = false;
    }
  }

  /** A transaction just posted: first in the list when the filter shows it (once, however
   * often the same post was answered). */
  function posted(t: LedgerTransaction): void {
    if (!admits(filter.value, t) || byId.value.has(t.id)) return;
    entries.value = [t, ...entries.value];
  }

  /** A reversal just posted: the transaction it reverses says so, and the reversal is listed. */
  function reversed(reversal: LedgerTransaction): void {
    entries.value = entries.value.map((t) => (t.id === reversal.reverses ? { ...t, reversed_by: reversal.id } : t));
    posted(reversal);
  }

  return {
    filter,
    entries,
    next,
    state,
    error,
    loadingOlder,
    olderError,
    byId,
    show,
    select,
    showOlder,
    posted,
    reversed,
    /** Drops what is loading (the screen went away). */
    stop: () => controller.abort(),
  };
}

export type LedgerStore = ReturnType<typeof createLedgerStore>;
