import { describe, expect, it } from 'vitest';

import type { Qualification } from '../api/types';
import { currentLink, NAV, navFor } from './Shell';

describe('currentLink', () => {
  it('marks the longest link the path falls under', () => {
    expect(currentLink(NAV.expert, '/work/history')).toBe('/work/history');
    expect(currentLink(NAV.expert, '/work/prj_abc')).toBe('/work');
    expect(currentLink(NAV.expert, '/work/answers')).toBe('/work/answers');
    expect(currentLink(NAV.operator, '/admin/pay/payouts')).toBe('/admin/pay');
    expect(currentLink(NAV.owner, '/lab/projects/prj_abc')).toBe('/lab/projects');
    expect(currentLink(NAV.owner, '/lab/projectsx')).toBeUndefined();
  });
});

describe('navFor', () => {
  const q = (reviewer: boolean, expired = false) => ({ domain: 'physics', level: 4, reviewer, expired }) as Qualification;
  it('adds review and exam grading for an expert with current reviewer rights only', () => {
    expect(navFor({ role: 'expert', qualifications: [q(true)] }).map((i) => i.label)).toContain('Grading');
    expect(navFor({ role: 'expert', qualifications: [q(true)] }).map((i) => i.label)).toContain('Review');
    expect(navFor({ role: 'expert', qualifications: [q(false)] }).map((i) => i.label)).not.toContain('Review');
    expect(navFor({ role: 'expert', qualifications: [q(false)] }).map((i) => i.label)).not.toContain('Grading');
    expect(navFor({ role: 'expert', qualifications: [q(true, true)] }).map((i) => i.label)).not.toContain('Grading');
    expect(navFor({ role: 'operator', qualifications: [] })).toBe(NAV.operator);
  });

  it('keeps API tokens last', () => {
    expect(navFor({ role: 'expert', qualifications: [q(true)] }).at(-1)?.label).toBe('API tokens');
  });
});
