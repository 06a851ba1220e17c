// Payout batches: every expert's payable balance in a currency gathered into one batch, its
// CSV for the bank, and "mark paid" once the money went out (which posts the payouts).
import { useState } from 'preact/hooks';

import { payApi } from '../../api/pay';
import { isCurrencyCode, formatMoney } from '../../pay/money';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { formErrors } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { formatCount, formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

export function Payouts() {
  const [payouts, reload] = useResource((signal) => payApi.payouts(signal), []);
  const [currency, setCurrency] = useState('USD');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    const code = currency.trim().toUpperCase();
    if (!isCurrencyCode(code)) return setError('Enter a currency code, like USD.');
    setError(null);
    try {
      await payApi.createPayout(code);
      reload();
    } catch (x) {
      const fe = formErrors(x);
      setError(fe.fields.currency ?? fe.form);
    }
  };
  return (
    <div class="stack">
      <form class="card form-grid" aria-labelledby="payout-new-title" noValidate onSubmit={create}>
        <h2 id="payout-new-title">New payout batch</h2>
        <p class="muted full-row">Gathers what every expert is owed in the currency. Nothing is paid until the batch is marked paid.</p>
        <Field id="payout-currency" label="Currency" error={error ?? undefined}>
          <input id="payout-currency" value={currency} maxLength={3} onInput={(e) => setCurrency(e.currentTarget.value)} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="button primary">
            Create the batch
          </button>
        </div>
      </form>
      <section class="card" aria-labelledby="payouts-title">
        <h2 id="payouts-title">Payout batches</h2>
        {failure && <ErrorBox error={failure} />}
        <Loaded resource={payouts} onRetry={reload}>
          {(list) =>
            list.length === 0 ? (
              <p>No payout batch yet.</p>
            ) : (
              <TableRegion label="Batches">
                <thead>
                  <tr>
                    <th scope="col">Created</th>
                    <th scope="col" class="num">
                      Experts
                    </th>
                    <th scope="col" class="num">
                      Total
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={p.id}>
                      <td>{formatTime(p.created_at)}</td>
                      <td class="num">{formatCount(p.lines.length)}</td>
                      <td class="num">{formatMoney(p.total_minor, p.currency)}</td>
                      <td>
                        <span class={`status-pill payout-${p.status}`}>{p.status === 'paid' && p.paid_at ? `paid ${formatTime(p.paid_at)}` : p.status}</span>
                      </td>
                      <td>
                        <a href={payApi.payoutCsvHref(p.id)} download>
                          CSV<span class="sr-only"> of the batch of {formatTime(p.created_at)}</span>
                        </a>{' '}
                        {p.status !== 'paid' && (
                          <ConfirmButton
                            label="Mark paid"
                            confirmLabel="The money went out"
                            accessibleName={`Mark paid: the batch of ${formatTime(p.created_at)}`}
                            onConfirm={() => {
                              setFailure(null);
                              payApi.markPaid(p.id).then(reload, (x: Error) => setFailure(x));
                            }}
                          />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </TableRegion>
            )
          }
        </Loaded>
      </section>
    </div>
  );
}
