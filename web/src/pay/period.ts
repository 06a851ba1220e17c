// Statement, timesheet and invoice periods: calendar dates (YYYY-MM-DD, UTC), both days
// included, as people choose them and the API takes them; the API gives a period back as times
// with an exclusive end.
import { formatDate } from '../ui/format';

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The calendar month around `now` (UTC). */
export function monthOf(now: Date): { from: string; to: string } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  return { from: iso(from), to: iso(to) };
}

/** The month before the one around `now`. */
export function previousMonth(now: Date): { from: string; to: string } {
  return monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)));
}

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && iso(d) === s;
}

/** What is wrong with a period, by field; empty when it may be asked for. */
export function periodErrors(from: string, to: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!validDate(from)) errors.from = 'Enter a date.';
  if (!validDate(to)) errors.to = 'Enter a date.';
  if (!errors.from && !errors.to && from > to) errors.to = 'The period ends on or after its first day.';
  return errors;
}

/** A period [from, to) of API times as its first and last day ("Dec 1, 2026 – Dec 31, 2026"). */
export function periodText(from: string, to: string, date: (t: string) => string = formatDate): string {
  const end = new Date(Date.parse(to) - 1000);
  const last = Number.isNaN(end.getTime()) ? to : end.toISOString();
  return `${date(from)} – ${date(last)}`;
}
