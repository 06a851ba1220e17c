// Invoices: for a lab its own, for the operator every lab's; each with its period, total and
// its CSV.
import { payApi } from '../api/pay';
import { formatMoney } from './money';
import { formatTime } from '../ui/format';
import { periodText } from './period';
import { useResource } from '../ui/resource';
import { Loaded } from '../ui/Status';
import { TableRegion } from '../ui/TableRegion';

export function InvoiceList({ hrefBase, showLab = false, generation = 0 }: { hrefBase: string; showLab?: boolean; generation?: number }) {
  const [invoices, reload] = useResource((signal) => payApi.invoices(signal), [generation]);
  return (
    <section class="card" aria-labelledby="invoices-title">
      <h2 id="invoices-title">Invoices</h2>
      <Loaded resource={invoices} onRetry={reload}>
        {(list) =>
          list.length === 0 ? (
            <p>No invoice has been issued yet.</p>
          ) : (
            <TableRegion label="Invoices issued">
              <thead>
                <tr>
                  {showLab && <th scope="col">Lab</th>}
                  <th scope="col">Period</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Paid</th>
                  <th scope="col" class="num">
                    Total
                  </th>
                  <th scope="col">CSV</th>
                </tr>
              </thead>
              <tbody>
                {list.map((i) => (
                  <tr key={i.id}>
                    {showLab && <td>{i.lab.name}</td>}
                    <td>
                      <a href={`${hrefBase}/${encodeURIComponent(i.id)}`}>{periodText(i.from, i.to)}</a>
                    </td>
                    <td>{formatTime(i.issued_at)}</td>
                    <td>{i.paid_at ? formatTime(i.paid_at) : 'not yet'}</td>
                    <td class="num">{formatMoney(i.total_minor, i.currency)}</td>
                    <td>
                      <a href={payApi.invoiceCsvHref(i.id)} download>
                        CSV<span class="sr-only"> of the invoice for {periodText(i.from, i.to)}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </TableRegion>
          )
        }
      </Loaded>
    </section>
  );
}
