// The transactions the store holds, newest first, and the page before the oldest on request.
import type { LedgerStore } from '../../../pay/ledger.store';
import { isFiltered } from '../../../pay/ledger-filter';
import { ErrorBox, Loading } from '../../../ui/Status';
import { LedgerEntry } from './LedgerEntry';

export function LedgerList({ store }: { store: LedgerStore }) {
  const state = store.state.value;
  if (state === 'loading') return <Loading label="Loading the transactions…" />;
  if (state === 'error') return <ErrorBox error={store.error.value!} onRetry={() => void store.show(store.filter.value)} />;
  const entries = store.entries.value;
  if (entries.length === 0) {
    return <p>{isFiltered(store.filter.value) ? 'No transaction matches these filters.' : 'The ledger has no transaction yet.'}</p>;
  }
  return (
    <>
      <ol class="ledger" aria-label="Transactions">
        {entries.map((t) => (
          <LedgerEntry key={t.id} transaction={t} store={store} />
        ))}
      </ol>
      {store.olderError.value && <ErrorBox error={store.olderError.value} />}
      {store.next.value && (
        <div>
          <button type="button" class="button" disabled={store.loadingOlder.value} onClick={() => void store.showOlder()}>
            {store.loadingOlder.value ? 'Loading older transactions…' : 'Show older transactions'}
          </button>
        </div>
      )}
    </>
  );
}
