// Spend against a budget as shares of a bar: what is spent, and what is committed on top of it,
// each a percentage of the budget (capped so the bar never overflows).
import type { ProjectSpend } from '../api/pay';
import { formatMoney } from './money';

export interface BudgetShares {
  spent: number;
  committed: number;
  overForecast: boolean;
  overCommitted: boolean;
  label: string;
}

function pct(part: number, whole: number): number {
  return Math.min(100, Math.floor((100 * part) / whole));
}

/** The bar for a budget; null when there is no budget. */
export function budgetShares(p: Pick<ProjectSpend, 'budget_minor' | 'spent_minor' | 'committed_minor' | 'forecast_minor'> & { currency?: string }, currency = p.currency ?? 'USD'): BudgetShares | null {
  if (p.budget_minor === null || p.budget_minor <= 0) return null;
  const spent = pct(p.spent_minor, p.budget_minor);
  const committed = Math.max(0, pct(p.committed_minor, p.budget_minor) - spent);
  return {
    spent,
    committed,
    overForecast: p.forecast_minor > p.budget_minor,
    overCommitted: p.committed_minor >= p.budget_minor,
    label: `${formatMoney(p.spent_minor, currency)} spent and ${formatMoney(p.committed_minor, currency)} committed of a ${formatMoney(p.budget_minor, currency)} budget`,
  };
}
