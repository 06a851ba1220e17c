import { describe, expect, it } from 'vitest';

import type { ReviewPolicy } from '../api/review';
import { formFromPolicy, policyFromForm } from './policy-form';

const DEFAULTS: Omit<ReviewPolicy, 'form'> = {
  mode: 'sample',
  sample: { new: 0.5, low_accuracy: 0.5, trusted: 0.1 },
  new_judgments: 20,
  low_gold_accuracy: 0.8,
  approval_window_days: 7,
  speed_flag_ratio: 0.25,
  time_cap_seconds: null,
  second_review_rate: 0,
};

describe('the review policy form', () => {
  it('shows shares as percentages and sends them back unchanged', () => {
    const f = formFromPolicy({ ...DEFAULTS, form: null });
    expect(f).toMatchObject({ sample_new: '50', sample_trusted: '10', low_gold_accuracy: '80', speed_flag_ratio: '25', time_cap_minutes: '' });
    // The review form is saved on its own: the policy form leaves it out.
    expect(policyFromForm(f)).toEqual({ policy: DEFAULTS });
  });

  it('reads the time cap in minutes, empty for none', () => {
    const f = { ...formFromPolicy({ ...DEFAULTS, form: null }), time_cap_minutes: '12.5' };
    expect(policyFromForm(f)).toMatchObject({ policy: { time_cap_seconds: 750 } });
    expect(formFromPolicy({ ...DEFAULTS, form: null, time_cap_seconds: 750 }).time_cap_minutes).toBe('12.5');
    expect(policyFromForm({ ...f, time_cap_minutes: '0' })).toMatchObject({ errors: { time_cap_seconds: expect.any(String) } });
  });

  it('names each field that is out of range by the server’s name', () => {
    const f = { ...formFromPolicy({ ...DEFAULTS, form: null }), sample_new: '150', approval_window_days: '61', new_judgments: '2.5', second_review_rate: 'x' };
    const r = policyFromForm(f);
    expect('errors' in r && Object.keys(r.errors).sort()).toEqual(['approval_window_days', 'new_judgments', 'sample.new', 'second_review_rate']);
  });
});
