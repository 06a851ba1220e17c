// The operator's ledger filters as the page's address keeps them (?kind=&expert=&lab=, so a
// reload or a shared link shows the same list) and as the ledger route asks for them.
import type { LedgerTransaction, TransactionKind } from '../api/pay';

/** "" for any: a kind, an expert's id, a lab's id. */
export interface LedgerFilter {
  kind: TransactionKind | '';
  expert: string;
  lab: string;
}

export const NO_FILTER: LedgerFilter = { kind: '', expert: '', lab: '' };

/** The kinds a transaction has, in the order the filter offers them, with what they are called. */
export const KINDS: readonly { kind: TransactionKind; label: string }[] = [
  { kind: 'decision', label: 'Review decisions' },
  { kind: 'bonus', label: 'Bonuses' },
  { kind: 'adjustment', label: 'Adjustments' },
  { kind: 'reversal', label: 'Reversals' },
  { kind: 'payout', label: 'Payouts' },
  { kind: 'invoice_payment', label: 'Invoice payments' },
];

function isKind(s: string): s is TransactionKind {
  return KINDS.some((k) => k.kind === s);
}

/** The filter of a page address's query ("?kind=bonus&expert=usr_…"); an unknown kind is any. */
export function filterFromSearch(search: string): LedgerFilter {
  const q = new URLSearchParams(search);
  const kind = q.get('kind') ?? '';
  return { kind: isKind(kind) ? kind : '', expert: q.get('expert') ?? '', lab: q.get('lab') ?? '' };
}

/** The page address's query for `f` ("" without a filter, else "?…"), in a fixed order. */
export function searchFromFilter(f: LedgerFilter): string {
  const q = new URLSearchParams();
  if (f.kind) q.set('kind', f.kind);
  if (f.expert) q.set('expert', f.expert);
  if (f.lab) q.set('lab', f.lab);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The ledger route's query (without "?") for `f`, from `before` (a transaction id) on. */
export function transactionsQuery(f: LedgerFilter, before: string | null = null, limit?: number): string {
  const q = new URLSearchParams();
  if (f.expert) q.set('expert_id', f.expert);
  if (f.lab) q.set('lab_id', f.lab);
  if (f.kind) q.set('kind', f.kind);
  if (before) q.set('before', before);
  if (limit !== undefined) q.set('limit', String(limit));
  return q.toString();
}

/** Whether the list under `f` shows `t`, as the route would choose it. */
export function admits(f: LedgerFilter, t: LedgerTransaction): boolean {
  return (!f.kind || t.kind === f.kind) && (!f.expert || t.expert_id === f.expert) && (!f.lab || t.lab_id === f.lab);
}

export function isFiltered(f: LedgerFilter): boolean {
  return f.kind !== '' || f.expert !== '' || f.lab !== '';
}
