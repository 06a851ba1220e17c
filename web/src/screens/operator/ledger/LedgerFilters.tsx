// The ledger's filters: kind, expert and lab. Each change shows the list at once and is kept in
// the page's address.
import { isFiltered, KINDS, type LedgerFilter, NO_FILTER } from '../../../pay/ledger-filter';
import type { People } from './Ledger';

export function LedgerFilters({ filter, people, onChange }: { filter: LedgerFilter; people: People; onChange: (f: LedgerFilter) => void }) {
  const set = (key: keyof LedgerFilter, value: string) => onChange({ ...filter, [key]: value });
  return (
    <form class="filters" role="search" aria-label="Filter the transactions" onSubmit={(e) => e.preventDefault()}>
      <div class="field">
        <label for="ledger-filter-kind">Kind</label>
        <select id="ledger-filter-kind" value={filter.kind} onChange={(e) => set('kind', e.currentTarget.value)}>
          <option value="">All kinds</option>
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="ledger-filter-expert">Expert</label>
        <select id="ledger-filter-expert" value={filter.expert} onChange={(e) => set('expert', e.currentTarget.value)}>
          <option value="">All experts</option>
          {filter.expert && !people.experts.some((x) => x.id === filter.expert) && <option value={filter.expert}>An expert not listed</option>}
          {people.experts.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="ledger-filter-lab">Lab</label>
        <select id="ledger-filter-lab" value={filter.lab} onChange={(e) => set('lab', e.currentTarget.value)}>
          <option value="">All labs</option>
          {filter.lab && !people.labs.some((l) => l.id === filter.lab) && <option value={filter.lab}>A lab not listed</option>}
          {people.labs.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      {isFiltered(filter) && (
        <button type="button" class="button" onClick={() => onChange(NO_FILTER)}>
          Clear the filters
        </button>
      )}
    </form>
  );
}
