// A project's spend against its budget: spent (accepted work charged), committed (spent plus
// work leased at its expected price) and the forecast to completion.
import type { ProjectPay } from '../../api/pay';
import { budgetShares } from '../../pay/spend';
import { formatMoney } from '../../pay/money';

export function SpendCard({ pay }: { pay: ProjectPay }) {
  const c = pay.currency;
  const shares = budgetShares(pay);
  return (
    <section class="card" aria-labelledby="spend-title">
      <h2 id="spend-title">Spend</h2>
      <dl class="stats">
        <div>
          <dt>Budget</dt>
          <dd>{pay.budget_minor === null ? 'none' : formatMoney(pay.budget_minor, c)}</dd>
        </div>
        <div>
          <dt>Spent</dt>
          <dd>{formatMoney(pay.spent_minor, c)}</dd>
        </div>
        <div>
          <dt>Committed</dt>
          <dd>
            {formatMoney(pay.committed_minor, c)}
            <small>spent and work in progress</small>
          </dd>
        </div>
        <div>
          <dt>Forecast to completion</dt>
          <dd>
            {formatMoney(pay.forecast_minor, c)}
            {shares?.overForecast && <small class="warn">over the budget</small>}
          </dd>
        </div>
      </dl>
      {pay.exhausted && (
        <p class="warn" role="status">
          The budget is spent: experts get none of this project’s work until it is raised.
        </p>
      )}
      {shares && (
        <div class="budget-bar" role="img" aria-label={shares.label}>
          <span class="spent" style={{ width: `${shares.spent}%` }} />
          <span class="committed" style={{ width: `${shares.committed}%` }} />
        </div>
      )}
    </section>
  );
}
