// The expert's earnings statement for a period: what they earned, what was paid out, the
// balance per currency, and each ledger line behind it.
import { payApi } from '../../api/pay';
import { lineText } from '../../pay/statement';
import { formatMoney } from '../../pay/money';
import { formatDuration, formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';


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
                  {s.lines.map((l) => (
                    <tr key={l.id}>
                      <td>{formatTime(l.at)}</td>
                      <td class="wrap">
                        {lineText(l)}
                        {l.reason && <span class="muted"> — {l.reason}</span>}
                      </td>
                      <td>{l.project?.name ?? ''}</td>
                      <td>{l.seconds ? formatDuration(l.seconds) : ''}</td>
                      <td class="num">{formatMoney(l.amount_minor, l.currency)}</td>
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
