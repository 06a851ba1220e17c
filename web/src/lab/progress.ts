// A project's progress as the lab console shows it: from the server's `progress` when it sends
// one, else from the one-project `counts` (which know nothing of pace or leases).
import type { LabProject } from '../api/lab';

export interface ProgressView {
  items: number;
  complete: number;
  /** Items under lease now; null when the server did not say. */
  inProgress: number | null;
  remaining: number;
  /** Judgments still needed at most; null when the server did not say. */
  remainingJudgments: number | null;
  /** Judgments so far. */
  submissions: number | null;
  submissionsLastHour: number | null;
  submissionsLastDay: number | null;
  throughputPerHour: number | null;
  estimatedCompletion: string | null;
  asOf: string | null;
}

export function progressOf(project: Pick<LabProject, 'progress' | 'counts'>): ProgressView | null {
  const p = project.progress;
  if (p) {
    return {
      items: p.items,
      complete: p.complete,
      inProgress: p.in_progress,
      remaining: p.remaining,
      remainingJudgments: p.remaining_judgments ?? null,
      submissions: p.submissions,
      submissionsLastHour: p.submissions_last_hour,
      submissionsLastDay: p.submissions_last_day,
      throughputPerHour: p.throughput_per_hour,
      estimatedCompletion: p.estimated_completion,
      asOf: p.as_of,
    };
  }
  const c = project.counts;
  if (!c) return null;
  return {
    items: c.items,
    complete: c.complete_items,
    inProgress: null,
    remaining: Math.max(0, c.items - c.complete_items),
    remainingJudgments: null,
    submissions: c.submissions,
    submissionsLastHour: null,
    submissionsLastDay: null,
    throughputPerHour: null,
    estimatedCompletion: null,
    asOf: null,
  };
}

/** The shares of done, in progress and remaining as percentages that add up to 100 (0s for a
 * project without items), for drawing a bar. */
export function shares(v: ProgressView): { complete: number; inProgress: number; remaining: number } {
  if (v.items <= 0) return { complete: 0, inProgress: 0, remaining: 0 };
  const complete = (100 * v.complete) / v.items;
  const inProgress = (100 * (v.inProgress ?? 0)) / v.items;
  return { complete, inProgress, remaining: Math.max(0, 100 - complete - inProgress) };
}

const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** Judgments per hour as people say it: "12 judgments an hour", "2.5 judgments an hour", "6
 * judgments a day" (below one an hour); why there is no pace when there is none. */
export function formatThroughput(perHour: number | null): string {
  if (perHour === null) return 'no judgments yet';
  if (perHour <= 0) return 'none in the last day';
  if (perHour >= 10) return `${whole.format(perHour)} judgments an hour`;
  if (perHour >= 1) return `${oneDecimal.format(perHour)} judgments an hour`;
  return `${oneDecimal.format(perHour * 24)} judgments a day`;
}

/** The unit and count of a duration as people say it: minutes up to 90, hours up to 48, then
 * days. */
export function durationParts(ms: number): { value: number; unit: 'minute' | 'hour' | 'day' } {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 90) return { value: minutes, unit: 'minute' };
  const hours = Math.round(minutes / 60);
  if (hours < 48) return { value: hours, unit: 'hour' };
  return { value: Math.round(hours / 24), unit: 'day' };
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** When the project will be done, in words: "done", "in 3 hours", or why there is no estimate. */
export function formatEta(v: ProgressView, now: Date = new Date()): string {
  if (v.items === 0) return 'no items yet';
  if (v.remaining === 0) return 'done';
  if (!v.estimatedCompletion) {
    if (!v.asOf) return 'no estimate';
    return v.throughputPerHour === null ? 'after the first judgments' : 'no judgments in the last day';
  }
  const at = new Date(v.estimatedCompletion);
  if (Number.isNaN(at.getTime())) return v.estimatedCompletion;
  const ms = at.getTime() - now.getTime();
  if (ms <= 0) return 'any moment now';
  const { value, unit } = durationParts(ms);
  return relative.format(value, unit);
}
