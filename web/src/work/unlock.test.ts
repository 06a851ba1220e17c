import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { actionFor, needsTerms, onlyTerms } from './unlock';

describe('unlocking a project', () => {
  it('points each unmet requirement to the screen that acts on it', () => {
    expect(actionFor('not_qualified', 'prj_1')?.href).toBe('/work/exams');
    expect(actionFor('exam_score', 'prj_1')?.href).toBe('/work/exams');
    expect(actionFor('qualification_expired', 'prj_1')?.href).toBe('/work/exams');
    expect(actionFor('credential_missing', 'prj_1')?.href).toBe('/work/credentials');
    expect(actionFor('language_missing', 'prj_1')?.href).toBe('/work/profile');
    expect(actionFor('terms_not_accepted', 'prj 1')?.href).toBe('/work/prj%201/terms');
    expect(actionFor('paused', 'prj_1')).toBeNull();
    expect(actionFor('something_new', 'prj_1')).toBeNull();
  });

  it('tells a project that waits on the terms alone', () => {
    expect(onlyTerms({ unmet: [{ reason: 'terms_not_accepted', message: '' }] })).toBe(true);
    expect(onlyTerms({ unmet: [{ reason: 'terms_not_accepted', message: '' }, { reason: 'paused', message: '' }] })).toBe(false);
    expect(onlyTerms({ unmet: [] })).toBe(false);
  });

  it('recognises the work loop asking for the terms, by reason or code', () => {
    expect(needsTerms(new ApiError(403, 'permission_denied', 'x', 'terms_not_accepted'))).toBe(true);
    expect(needsTerms(new ApiError(403, 'terms_not_accepted', 'x'))).toBe(true);
    expect(needsTerms(new ApiError(403, 'permission_denied', 'x', 'paused'))).toBe(false);
    expect(needsTerms(new Error('x'))).toBe(false);
  });
});
