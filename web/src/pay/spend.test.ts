import { describe, expect, it } from 'vitest';

import { budgetShares } from './spend';

describe('spend against a budget', () => {
  it('shows spent and committed as shares of the budget', () => {
    const s = budgetShares({ budget_minor: 100000, spent_minor: 25000, committed_minor: 40000, forecast_minor: 90000, currency: 'USD' })!;
    expect(s).toMatchObject({ spent: 25, committed: 15, overForecast: false, overCommitted: false });
    expect(s.label).toContain('of a');
  });

  it('never overflows the bar and says when the forecast is over the budget', () => {
    const s = budgetShares({ budget_minor: 1000, spent_minor: 1500, committed_minor: 1600, forecast_minor: 2000, currency: 'EUR' })!;
    expect(s).toMatchObject({ spent: 100, committed: 0, overForecast: true, overCommitted: true });
  });

  it('has no bar without a budget', () => {
    expect(budgetShares({ budget_minor: null, spent_minor: 5, committed_minor: 5, forecast_minor: 5 })).toBeNull();
  });
});
