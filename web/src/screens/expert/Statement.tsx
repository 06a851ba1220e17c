// The expert's earnings statement for a period: what they earned, what was paid out, the
// balance per currency, and each ledger line behind it.
import { payApi, type Statement as StatementData } from '../../api/pay';
import { formatMoney } from '../../pay/money';
import { formatDuration, formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

const KINDS: Record<string, string> = {
  work: 'Accepted work',
  accepted: 'Accepted work',
  rejected_quality: 'Time on a rejected answer',
  bonus: 'Bonus',
  adjustment: 'Adjustment',
  dispute: 'Time dispute',
  payout: 'Paid out',
  reversal: 'Correction',
};

export function kindText(kind: string): string {
  return KINDS[kind] ?? kind.replace(/_/g, ' ');
}

function currencyOf(s: StatementData, line: { currency?: string }): string {
  return line.currency ?? s.currency ?? s.totals[0]?.currency ?? 'USD';
}

export function Statement({ from, to }: { from: string; to: string }) {
  const [statement, reload] = useResource((signal) => payApi.earnings(from, to, signal), [from, to]);
  return (
    <section aria-labelledby="statement-title" class="stack">
      <h2 id="statement-title">Statement</h2>
      <Loaded resource={statement} onRetry={reload}>
        {(s) => (
          <>
            {s.totals.length === 0 ? (
              <p>No earnings in this period.</p>
            ) : (
              <dl class="stats">
                {s.totals.map((t) => [
                  <div key={`${t.currency}-e`}>
                    <dt>Earned ({t.currency})</dt>
                    <dd>{formatMoney(t.earned_minor, t.currency)}</dd>
                  </div>,
                  <div key={`${t.currency}-p`}>
                    <dt>Paid out</dt>
                    <dd>{formatMoney(t.paid_minor, t.currency)}</dd>
                  </div>,
                  <div key={`${t.currency}-b`}>
                    <dt>Balance owed to you</dt>
                    <dd>{formatMoney(t.balance_minor, t.currency)}</dd>
                  </div>,
                ])}
              </dl>
            )}
            {s.lines.length > 0 && (
              <TableRegion label="Statement lines">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col">Project</th>
                    <th scope="col">Time</th>
                    <th scope="col" class="num">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.lines.map((l, i) => (
                    <tr key={i}>
                      <td>{formatTime(l.at)}</td>
                      <td>
                        {kindText(l.kind)}
                        {l.reason && <span class="muted"> — {l.reason}</span>}
                      </td>
                      <td>{typeof l.project === 'string' ? l.project : (l.project?.name ?? '')}</td>
                      <td>{l.seconds ? formatDuration(l.seconds) : ''}</td>
                      <td class="num">{formatMoney(l.amount_minor, currencyOf(s, l))}</td>
                    </tr>
                  ))}
                </tbody>
              </TableRegion>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}
