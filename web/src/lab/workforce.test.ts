import { describe, expect, it } from 'vitest';

import type { WorkforceExpert } from '../api/lab';
import { mixBars, percentOrDash, qualificationText, skillText } from './workforce';

describe('the workforce', () => {
  it('shows the qualification mix as shares, those without one last', () => {
    expect(
      mixBars({
        mix: [
          { level: 5, level_name: 'licensed professional', experts: 1 },
          { level: 4, level_name: 'PhD', experts: 2 },
          { level: null, level_name: null, experts: 1 },
        ],
      }),
    ).toEqual([
      { label: '5: licensed professional', experts: 1, percent: 25 },
      { label: '4: PhD', experts: 2, percent: 50 },
      { label: 'no qualification', experts: 1, percent: 25 },
    ]);
    expect(mixBars({ mix: [] })).toEqual([]);
  });

  it('says on what grounds an expert is qualified', () => {
    const e = { qualification: { domain: 'quantum_field_theory', level: 4, level_name: 'PhD', grounds: 'credential' } } as WorkforceExpert;
    expect(qualificationText(e, (n) => (n === 'quantum_field_theory' ? 'Quantum field theory' : n))).toBe('Quantum field theory, PhD (verified credential)');
    expect(qualificationText({ ...e, qualification: null }, (n) => n)).toBe('none');
  });

  it('writes unknown numbers as a dash', () => {
    expect(percentOrDash(0.905)).toBe('91%');
    expect(percentOrDash(null)).toBe('–');
    expect(skillText(0.8)).toBe('0.80');
    expect(skillText(null)).toBe('–');
  });
});
