// One transaction of the ledger: when, what kind, whom it concerns, who made it and why, what
// it changed, its postings, and its reversal (or what it reverses).
import { useRef } from 'preact/hooks';

import type { LedgerTransaction } from '../../../api/pay';
import { anchorOf, canReverse, effects, kindText, whoText } from '../../../pay/ledger-entry';
import type { LedgerStore } from '../../../pay/ledger.store';
import { formatTime } from '../../../ui/format';
import { Postings } from './Postings';
import { ReverseForm } from './ReverseForm';
import { ReversalNote } from './ReversalNote';

export function LedgerEntry({ transaction: t, store }: { transaction: LedgerTransaction; store: LedgerStore }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const title = `${kindText(t)}: ${whoText(t)}`;
  return (
    <li class="card ledger-entry" id={anchorOf(t.id)} aria-labelledby={`${anchorOf(t.id)}-title`}>
      <div class="ledger-what">
        <h3 id={`${anchorOf(t.id)}-title`} ref={heading} tabIndex={-1}>
          {title}
          {t.reversed_by && (
            <>
              {' '}
              <span class="status-pill ledger-reversed">reversed</span>
            </>
          )}
        </h3>
        <p class="muted">
          <time dateTime={t.created_at}>{formatTime(t.created_at)}</time>
          {t.project && <> · {t.project.name}</>}
          {t.author ? <> · by {t.author.name}</> : <> · posted by the platform</>}
        </p>
        {t.reason && <p class="ledger-reason">{t.reason}</p>}
        <ul class="ledger-effects">
          {effects(t).map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
        <ReversalNote transaction={t} byId={store.byId.value} />
      </div>
      <div class="ledger-how">
        <Postings transaction={t} label={`Postings: ${title}, ${formatTime(t.created_at)}`} />
        {canReverse(t) && (
          <ReverseForm
            transaction={t}
            label={`${title}, ${formatTime(t.created_at)}`}
            onReversed={(r) => {
              store.reversed(r);
              heading.current?.focus();
            }}
            onStale={() => void store.show(store.filter.value)}
          />
        )}
      </div>
    </li>
  );
}
