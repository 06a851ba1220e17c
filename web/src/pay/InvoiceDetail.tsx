// One invoice: its period, lab, lines per project (and one for charges tied to no project),
// total and payment, with its CSV; the operator records the lab's payment.
import { useState } from 'preact/hooks';

import { payApi } from '../api/pay';
import { ConfirmButton } from '../ui/ConfirmButton';
import { formatMoney } from './money';
import { formatCount, formatTime } from '../ui/format';
import { periodText } from './period';
import { useResource } from '../ui/resource';
import { ErrorBox, Loaded } from '../ui/Status';
import { TableRegion } from '../ui/TableRegion';

export function InvoiceDetail({ id, back, canMarkPaid = false }: { id: string; back: { href: string; label: string }; canMarkPaid?: boolean }) {
  const [invoice, reload] = useResource((signal) => payApi.invoice(id, signal), [id]);
  const [failure, setFailure] = useState<Error | null>(null);
  return (
    <section class="page">
      <p class="crumbs">
        <a href={back.href}>{back.label}</a>
      </p>
      <Loaded resource={invoice} onRetry={reload}>
        {(i) => (
          <>
            <div class="page-head">
              <h1>Invoice for {periodText(i.from, i.to)}</h1>
              <a class="button" href={payApi.invoiceCsvHref(i.id)} download>
                Download CSV
              </a>
            </div>
            <dl class="facts">
              <dt>Lab</dt>
              <dd>{i.lab.name}</dd>
              <dt>Issued</dt>
              <dd>{formatTime(i.issued_at)}</dd>
              <dt>Total</dt>
              <dd>
                <strong>{formatMoney(i.total_minor, i.currency)}</strong>
              </dd>
              <dt>Paid</dt>
              <dd>
                {i.paid_at ? formatTime(i.paid_at) : 'not yet'}{' '}
                {!i.paid_at && canMarkPaid && (
                  <ConfirmButton
                    label="Mark paid"
                    confirmLabel="The lab paid it"
                    accessibleName="Mark paid: the lab paid this invoice"
                    onConfirm={() => {
                      setFailure(null);
                      payApi.markInvoicePaid(i.id).then(reload, (e: Error) => setFailure(e));
                    }}
                  />
                )}
              </dd>
            </dl>
            {failure && <ErrorBox error={failure} />}
            <TableRegion label="Invoice lines">
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col" class="num">
                    Accepted tasks
                  </th>
                  <th scope="col" class="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {(i.lines ?? []).map((l) => (
                  <tr key={l.project?.id ?? '-'}>
                    <td>{l.project?.name ?? 'Other charges and credits'}</td>
                    <td class="num">{formatCount(l.tasks)}</td>
                    <td class="num">{formatMoney(l.amount_minor, i.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </TableRegion>
          </>
        )}
      </Loaded>
    </section>
  );
}
