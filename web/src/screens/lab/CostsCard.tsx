// What a label costs on this project: per accepted answer, per correct label (gold where it
// exists, the aggregated answers' confidence otherwise), and what adaptive redundancy saved.
import type { ProjectCosts } from '../../api/pay';
import { formatMoney } from '../../pay/money';
import { formatCount } from '../../ui/format';

export function CostsCard({ costs: k }: { costs: ProjectCosts }) {
  const c = k.currency;
  const money = (m: number | null) => (m === null ? '–' : formatMoney(m, c));
  return (
    <section class="card" aria-labelledby="costs-title">
      <h2 id="costs-title">What a label costs</h2>
      <dl class="stats">
        <div>
          <dt>Per accepted answer</dt>
          <dd>
            {money(k.cost_per_accepted_minor)}
            <small>{formatCount(k.accepted_answers)} accepted</small>
          </dd>
        </div>
        <div>
          <dt>Per correct label</dt>
          <dd>
            {money(k.cost_per_correct_label_minor)}
            <small>{formatCount(k.correct_labels)} correct labels</small>
          </dd>
        </div>
        <div>
          <dt>Saved by adaptive redundancy</dt>
          <dd>
            {formatMoney(k.adaptive.saved_minor, c)}
            <small>{formatCount(k.adaptive.judgments_saved)} judgments not bought</small>
          </dd>
        </div>
      </dl>
      <p class="muted">Correct labels count gold answers where the item has gold, and the aggregated answers’ confidence elsewhere.</p>
    </section>
  );
}
