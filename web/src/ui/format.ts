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
  1: 'student',
  2: 'bachelor',
  3: 'master',
  4: 'PhD',
  5: 'licensed professional',
};

/** Seconds as h:mm:ss, or m:ss under an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** A moment today as hours and minutes. */
export function formatClock(d: Date): string {
  return clock.format(d);
}

/** A span of time in words, to the largest whole units ("30 minutes", "1 day 6 hours"). */
export function formatSpan(seconds: number): string {
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let rest = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 && parts.length < 2) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.length > 0 ? parts.join(' ') : '0 seconds';
}
