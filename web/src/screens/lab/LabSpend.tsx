// The lab's spend: each project's budget, spent, committed and forecast, and the invoices the
// operator issued to the lab.
import { payApi, type LabSpend as Spend } from '../../api/pay';
import { budgetShares } from '../../pay/spend';
import { formatMoney } from '../../pay/money';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';
import { InvoiceList } from '../../pay/InvoiceList';
import { projectHref } from './ProjectFrame';
import './lab.css';

function SpendTable({ spend: s }: { spend: Spend }) {
  if (s.projects.length === 0) return <p>No project has spent anything yet.</p>;
  const m = (v: number | null) => (v === null ? '–' : formatMoney(v, s.currency));
  return (
    <TableRegion label="Spend by project">
      <thead>
        <tr>
          <th scope="col">Project</th>
          <th scope="col" class="num">
            Budget
          </th>
          <th scope="col" class="num">
            Spent
          </th>
          <th scope="col" class="num">
            Committed
          </th>
          <th scope="col" class="num">
            Forecast
          </th>
          <th scope="col">Of the budget</th>
        </tr>
      </thead>
      <tbody>
        {s.projects.map((p) => {
          const shares = budgetShares(p, s.currency);
          return (
            <tr key={p.id}>
              <td>
                <a href={projectHref(p.id, '/pay')}>{p.name}</a>
              </td>
              <td class="num">{m(p.budget_minor)}</td>
              <td class="num">{m(p.spent_minor)}</td>
              <td class="num">{m(p.committed_minor)}</td>
              <td class="num">
                {m(p.forecast_minor)}
                {shares?.overForecast && <span class="warn"> over budget</span>}
              </td>
              <td>
                {p.exhausted && <span class="warn">budget spent </span>}
                {shares ? (
                  <div class="budget-bar" role="img" aria-label={shares.label}>
                    <span class="spent" style={{ width: `${shares.spent}%` }} />
                    <span class="committed" style={{ width: `${shares.committed}%` }} />
                  </div>
                ) : (
                  <span class="muted">no budget</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </TableRegion>
  );
}

export function LabSpend() {
  const [spend, reload] = useResource((signal) => payApi.labSpend(signal), []);
  return (
    <section class="page">
      <h1>Spend</h1>
      <Loaded resource={spend} onRetry={reload}>
        {(s) => (
          <section class="card" aria-labelledby="spend-projects-title">
            <h2 id="spend-projects-title">By project ({s.currency})</h2>
            <SpendTable spend={s} />
          </section>
        )}
      </Loaded>
      <InvoiceList hrefBase="/lab/invoices" />
    </section>
  );
}
