// The hourly rate each project pays the expert, looked up by project; a project missing from
// the rates (or rates that could not be read) shows no rate rather than a wrong one.
import type { Rate } from '../api/pay';
import { formatRate } from './money';

export type RateBook = ReadonlyMap<string, Rate>;

export function rateBook(rates: readonly Rate[]): RateBook {
  return new Map(rates.map((r) => [r.project_id, r]));
}

/** "Pays $100.00 an hour", or null when the project has no rate in the book. */
export function rateText(book: RateBook, projectId: string, locale?: string): string | null {
  const r = book.get(projectId);
  return r ? `Pays ${formatRate(r.hourly_minor, r.currency, locale)}` : null;
}
