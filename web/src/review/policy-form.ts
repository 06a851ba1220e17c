// A project's review policy as the lab edits it: shares as percentages, the time cap in
// minutes (empty: none). The form holds text as typed; errors are keyed by the server's field
// names, so the server's 422 details land in the same place.
import type { ReviewMode, ReviewPolicy } from '../api/review';

export interface PolicyForm {
  mode: ReviewMode;
  sample_new: string;
  sample_low_accuracy: string;
  sample_trusted: string;
  new_judgments: string;
  low_gold_accuracy: string;
  approval_window_days: string;
  speed_flag_ratio: string;
  time_cap_minutes: string;
  second_review_rate: string;
}

/** The form's input for each server field, for placing the server's errors. */
export const POLICY_FIELDS: Record<string, keyof PolicyForm> = {
  mode: 'mode',
  'sample.new': 'sample_new',
  'sample.low_accuracy': 'sample_low_accuracy',
  'sample.trusted': 'sample_trusted',
  new_judgments: 'new_judgments',
  low_gold_accuracy: 'low_gold_accuracy',
  approval_window_days: 'approval_window_days',
  speed_flag_ratio: 'speed_flag_ratio',
  time_cap_seconds: 'time_cap_minutes',
  second_review_rate: 'second_review_rate',
};

export const MODES: { value: ReviewMode; label: string; hint: string }[] = [
  { value: 'sample', label: 'A sample', hint: 'A share of each expert’s answers, more for new experts and those with low gold accuracy.' },
  { value: 'free_text', label: 'Every written answer', hint: 'Every answer to a template with a text question; the rest sampled.' },
  { value: 'all', label: 'Every answer', hint: 'Nothing is accepted without a reviewer.' },
];

function pct(ratio: number): string {
  return String(Math.round(ratio * 10000) / 100);
}

export function formFromPolicy(p: ReviewPolicy): PolicyForm {
  return {
    mode: p.mode,
    sample_new: pct(p.sample.new),
    sample_low_accuracy: pct(p.sample.low_accuracy),
    sample_trusted: pct(p.sample.trusted),
    new_judgments: String(p.new_judgments),
    low_gold_accuracy: pct(p.low_gold_accuracy),
    approval_window_days: String(p.approval_window_days),
    speed_flag_ratio: pct(p.speed_flag_ratio),
    time_cap_minutes: p.time_cap_seconds === null ? '' : String(Math.round((p.time_cap_seconds / 60) * 100) / 100),
    second_review_rate: pct(p.second_review_rate),
  };
}

function number(text: string): number {
  const t = text.trim().replace(',', '.');
  return t === '' || !/^\d+(\.\d+)?$/.test(t) ? Number.NaN : Number(t);
}

/** A percentage 0..100 as a share 0..1 (to four decimals), or an error. */
function share(text: string): number | string {
  const n = number(text);
  if (Number.isNaN(n) || n > 100) return 'Enter a percentage from 0 to 100.';
  return Math.round(n * 100) / 10000;
}

function wholeNumber(text: string, min: number, max: number): number | string {
  const n = number(text);
  if (!Number.isInteger(n) || n < min || n > max) return `Enter a whole number from ${min} to ${max}.`;
  return n;
}

/** The policy to PUT, or the errors by server field name. */
export function policyFromForm(f: PolicyForm): { policy: Omit<ReviewPolicy, 'form'> } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const take = <T>(field: string, v: T | string): T => {
    if (typeof v === 'string') errors[field] = v;
    return v as T;
  };
  let cap: number | null = null;
  if (f.time_cap_minutes.trim() !== '') {
    const m = number(f.time_cap_minutes);
    if (Number.isNaN(m) || m <= 0) errors.time_cap_seconds = 'Enter minutes above 0, or leave empty for no cap.';
    else cap = Math.round(m * 60);
  }
  const policy: Omit<ReviewPolicy, 'form'> = {
    mode: f.mode,
    sample: {
      new: take('sample.new', share(f.sample_new)),
      low_accuracy: take('sample.low_accuracy', share(f.sample_low_accuracy)),
      trusted: take('sample.trusted', share(f.sample_trusted)),
    },
    new_judgments: take('new_judgments', wholeNumber(f.new_judgments, 0, 100000)),
    low_gold_accuracy: take('low_gold_accuracy', share(f.low_gold_accuracy)),
    approval_window_days: take('approval_window_days', wholeNumber(f.approval_window_days, 0, 60)),
    speed_flag_ratio: take('speed_flag_ratio', share(f.speed_flag_ratio)),
    time_cap_seconds: cap,
    second_review_rate: take('second_review_rate', share(f.second_review_rate)),
  };
  return Object.keys(errors).length > 0 ? { errors } : { policy };
}
