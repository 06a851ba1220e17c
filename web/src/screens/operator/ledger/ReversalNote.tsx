// Which transaction reversed this one, or which one this one reverses: a link to it when the
// list shows it, with its time.
import type { LedgerTransaction } from '../../../api/pay';
import { anchorOf, kindText } from '../../../pay/ledger-entry';
import { formatTime } from '../../../ui/format';

export function ReversalNote({ transaction: t, byId }: { transaction: LedgerTransaction; byId: Map<string, LedgerTransaction> }) {
  if (t.reversed_by) {
    const r = byId.get(t.reversed_by);
    return (
      <p class="ledger-link">
        Reversed{' '}
        {r ? (
          <>
            <a href={`#${anchorOf(r.id)}`}>{formatTime(r.created_at)}</a>
            {r.author && ` by ${r.author.name}`}
          </>
        ) : (
          'by a transaction not shown here'
        )}
        .
      </p>
    );
  }
  if (t.reverses) {
    const original = byId.get(t.reverses);
    return (
      <p class="ledger-link">
        Reverses{' '}
        {original ? (
          <a href={`#${anchorOf(original.id)}`}>
            the {kindText(original).toLowerCase()} of {formatTime(original.created_at)}
          </a>
        ) : (
          'an earlier transaction'
        )}
        .
      </p>
    );
  }
  return null;
}
