// The pay forms' checks: a project's rate, fixed price and budget; an operator's pay band; a
// markup. Amounts are typed in the currency's major unit and sent as minor units; errors are
// keyed by the server's field names.
import type { PayBand, ProjectPay, ProjectPayPatch } from '../api/pay';
import { isCurrencyCode, moneyInput, parseBasisPoints, parseMoney } from './money';

export interface ProjectPayForm {
  hourly: string;
  fixed_price: string;
  budget: string;
}

export function formFromProjectPay(p: ProjectPay): ProjectPayForm {
  return {
    hourly: moneyInput(p.raised_hourly_minor, p.currency),
    fixed_price: moneyInput(p.fixed_price_minor, p.currency),
    budget: moneyInput(p.budget_minor, p.currency),
  };
}

function optionalAmount(text: string, currency: string): number | null | 'bad' {
  if (text.trim() === '') return null;
  return parseMoney(text, currency) ?? 'bad';
}

const NOT_AMOUNT = (currency: string) => `Enter an amount in ${currency}, like 12.50.`;

/** The PUT body, or errors. Empty clears a value; a rate below the band is refused. */
export function projectPayPatch(f: ProjectPayForm, pay: Pick<ProjectPay, 'currency' | 'band_hourly_minor'>): { patch: ProjectPayPatch } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const hourly = optionalAmount(f.hourly, pay.currency);
  const fixed = optionalAmount(f.fixed_price, pay.currency);
  const budget = optionalAmount(f.budget, pay.currency);
  if (hourly === 'bad') errors.hourly_minor = NOT_AMOUNT(pay.currency);
  else if (hourly !== null && pay.band_hourly_minor !== null && hourly < pay.band_hourly_minor) {
    errors.hourly_minor = `A project may raise the band’s rate, not lower it (${moneyInput(pay.band_hourly_minor, pay.currency)} ${pay.currency}).`;
  }
  if (fixed === 'bad') errors.fixed_price_minor = NOT_AMOUNT(pay.currency);
  else if (fixed === 0) errors.fixed_price_minor = 'A fixed price is above 0; leave it empty to charge by time.';
  if (budget === 'bad') errors.budget_minor = NOT_AMOUNT(pay.currency);
  if (Object.keys(errors).length > 0) return { errors };
  return { patch: { hourly_minor: hourly as number | null, fixed_price_minor: fixed as number | null, budget_minor: budget as number | null } };
}

export interface BandForm {
  domain: string;
  level: string;
  currency: string;
  hourly: string;
}

export function formFromBand(b: PayBand): BandForm {
  return { domain: b.domain, level: String(b.level), currency: b.currency, hourly: moneyInput(b.hourly_minor, b.currency) };
}

export function bandFromForm(f: BandForm): { band: PayBand } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const currency = f.currency.trim().toUpperCase();
  const level = Number(f.level);
  if (f.level.trim() === '' || !Number.isInteger(level) || level < 0 || level > 5) errors.level = 'Choose a level from 0 to 5.';
  if (!isCurrencyCode(currency)) errors.currency = 'Enter a currency code, like USD.';
  const hourly = isCurrencyCode(currency) ? parseMoney(f.hourly, currency) : null;
  if (isCurrencyCode(currency) && (hourly === null || hourly === 0)) errors.hourly_minor = `Enter an hourly rate in ${currency} above 0.`;
  if (Object.keys(errors).length > 0) return { errors };
  return { band: { domain: f.domain.trim(), level, currency, hourly_minor: hourly! } };
}

/** A markup typed as a percentage; empty is `null` where the caller allows a default. */
export function markupFromText(text: string, allowEmpty: boolean): { markup_bp: number | null } | { error: string } {
  if (text.trim() === '') return allowEmpty ? { markup_bp: null } : { error: 'Enter a markup in percent, like 25.' };
  const bp = parseBasisPoints(text);
  if (bp === null || bp > 100000) return { error: 'Enter a percentage with at most two decimals, like 25 or 12.5.' };
  return { markup_bp: bp };
}

/** Minutes as typed ("45", "1:30" for an hour and a half) in seconds; null when not a duration. */
export function parseMinutes(text: string): number | null {
  const t = text.trim();
  const hm = /^(\d+):([0-5]\d)$/.exec(t);
  if (hm) return Number(hm[1]) * 3600 + Number(hm[2]) * 60;
  if (!/^\d+([.,]\d+)?$/.test(t)) return null;
  return Math.round(Number(t.replace(',', '.')) * 60);
}

export interface DisputeForm {
  minutes: string;
  comment: string;
}

/** A dispute's body: the time the expert says they worked in all (more than was counted), and
 * why; or errors. */
export function disputeBody(f: DisputeForm, countedSeconds: number): { seconds: number; comment: string } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const seconds = parseMinutes(f.minutes);
  if (seconds === null || seconds <= 0) errors.seconds = 'Enter the minutes you worked, like 45 or 1:30.';
  else if (seconds <= countedSeconds) errors.seconds = 'Claim more than the time already counted.';
  if (f.comment.trim() === '') errors.comment = 'Say what the count missed.';
  if (Object.keys(errors).length > 0) return { errors };
  return { seconds: seconds!, comment: f.comment.trim() };
}
