import { describe, expect, it } from 'vitest';

import type { ProjectPay } from '../api/pay';
import { bandFromForm, disputeBody, formFromBand, formFromProjectPay, markupFromText, parseMinutes, projectPayPatch } from './forms';

const PAY: ProjectPay = {
  currency: 'USD', band_hourly_minor: 10000, hourly_minor: 12000, raised_hourly_minor: 12000, fixed_price_minor: null, markup_bp: 2500,
  budget_minor: 500000, spent_minor: 0, committed_minor: 0, forecast_minor: 0, expected_task_minor: 0,
};

describe('a project’s pay form', () => {
  it('shows amounts in the major unit and sends them back as minor units', () => {
    const f = formFromProjectPay(PAY);
    expect(f).toEqual({ hourly: '120.00', fixed_price: '', budget: '5000.00' });
    expect(projectPayPatch(f, PAY)).toEqual({ patch: { hourly_minor: 12000, fixed_price_minor: null, budget_minor: 500000 } });
  });

  it('clears a value left empty and refuses a rate under the band', () => {
    expect(projectPayPatch({ hourly: '', fixed_price: '3.5', budget: '' }, PAY)).toEqual({ patch: { hourly_minor: null, fixed_price_minor: 350, budget_minor: null } });
    expect(projectPayPatch({ hourly: '99.99', fixed_price: '', budget: '' }, PAY)).toMatchObject({ errors: { hourly_minor: expect.stringContaining('100.00 USD') } });
    expect(projectPayPatch({ hourly: '1.234', fixed_price: '0', budget: 'lots' }, PAY)).toEqual({
      errors: { hourly_minor: 'Enter an amount in USD, like 12.50.', fixed_price_minor: expect.any(String), budget_minor: 'Enter an amount in USD, like 12.50.' },
    });
  });
});

describe('a pay band', () => {
  it('round-trips and takes a generalist band with an empty domain', () => {
    const band = { domain: 'physics', level: 4, currency: 'EUR', hourly_minor: 11000 };
    expect(bandFromForm(formFromBand(band))).toEqual({ band });
    expect(bandFromForm({ domain: ' ', level: '1', currency: 'usd', hourly: '25' })).toEqual({ band: { domain: '', level: 1, currency: 'USD', hourly_minor: 2500 } });
  });

  it('names what is wrong', () => {
    expect(bandFromForm({ domain: 'x', level: '9', currency: 'dollars', hourly: '1' })).toEqual({
      errors: { level: expect.any(String), currency: 'Enter a currency code, like USD.' },
    });
    expect(bandFromForm({ domain: 'x', level: '2', currency: 'JPY', hourly: '2500.5' })).toEqual({ errors: { hourly_minor: 'Enter an hourly rate in JPY above 0.' } });
  });
});

describe('a markup', () => {
  it('reads a percentage, empty for the default where allowed', () => {
    expect(markupFromText('25', false)).toEqual({ markup_bp: 2500 });
    expect(markupFromText('', true)).toEqual({ markup_bp: null });
    expect(markupFromText('', false)).toHaveProperty('error');
    expect(markupFromText('a lot', true)).toHaveProperty('error');
  });
});

describe('a dispute', () => {
  it('reads minutes or hours:minutes', () => {
    expect(parseMinutes('45')).toBe(2700);
    expect(parseMinutes('1:30')).toBe(5400);
    expect(parseMinutes('2,5')).toBe(150);
    expect(parseMinutes('1:75')).toBeNull();
    expect(parseMinutes('soon')).toBeNull();
  });

  it('needs a different time and a comment', () => {
    expect(disputeBody({ minutes: '45', comment: ' The tab was open on my second screen. ' }, 600)).toEqual({ seconds: 2700, comment: 'The tab was open on my second screen.' });
    expect(disputeBody({ minutes: '10', comment: '' }, 600)).toEqual({ errors: { seconds: 'Claim more than the time already counted.', comment: 'Say what the count missed.' } });
    expect(disputeBody({ minutes: '5', comment: 'x' }, 600)).toEqual({ errors: { seconds: 'Claim more than the time already counted.' } });
    expect(disputeBody({ minutes: '0', comment: 'x' }, 600)).toEqual({ errors: { seconds: expect.any(String) } });
  });
});
