// Numbers and times as people read them.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** An API time (RFC 3339) as a local date and time; the raw text if it does not parse. */
export function formatTime(timestamp: string): string {
  const d = new Date(timestamp);
  return Number.isNaN(d.getTime()) ? timestamp : dateTime.format(d);
}

/** An API time (RFC 3339) as a local date; the raw text if it does not parse. */
export function formatDate(timestamp: string): string {
  const d = new Date(timestamp);
  return Number.isNaN(d.getTime()) ? timestamp : dateOnly.format(d);
}

export function formatCount(n: number): string {
  return integer.format(n);
}

/** `part` of `whole` as a whole percentage ("0%" for an empty whole). */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  return `${Math.floor((100 * part) / whole)}%`;
}

export const LEVEL_NAMES: Record<number, string> = {
  1: "bachelor's or student",
  2: "master's",
  3: 'doctorate or licensed professional',
  4: 'senior',
  5: 'leading expert',
};
