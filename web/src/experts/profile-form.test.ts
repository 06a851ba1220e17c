import { describe, expect, it } from 'vitest';

import type { Profile } from '../api/experts';
import { formFromProfile, languagesError, listError, profileRequest, rowError, splitLanguages } from './profile-form';

const PROFILE: Profile = {
  headline: 'Physicist',
  languages: ['en', 'pt-BR'],
  time_zone: 'Europe/Zurich',
  weekly_hours_cap: 20,
  domains: [{ domain: 'physics', level: 4, level_name: 'PhD' }],
  affiliations: [
    { id: 'aff_1', organisation: 'CERN', organisation_key: 'cern', kind: 'employer', since: '2019-09-01T00:00:00Z', until: null },
  ],
  updated_at: '2026-12-01T10:00:00Z',
};

describe('profile form', () => {
  it('round-trips a profile through the form into the PUT body', () => {
    const form = formFromProfile(PROFILE);
    expect(form.languages).toBe('en, pt-BR');
    expect(form.weekly_hours_cap).toBe('20');
    expect(form.affiliations[0]).toEqual({ organisation: 'CERN', kind: 'employer', since: '2019-09-01', until: '' });
    expect(profileRequest(form)).toEqual({
      body: {
        headline: 'Physicist',
        languages: ['en', 'pt-BR'],
        time_zone: 'Europe/Zurich',
        weekly_hours_cap: 20,
        domains: [{ domain: 'physics', level: 4 }],
        affiliations: [{ organisation: 'CERN', kind: 'employer', since: '2019-09-01', until: null }],
      },
    });
  });

  it('sends an empty cap as no cap and refuses one that is not whole hours', () => {
    const form = formFromProfile(PROFILE);
    const none = profileRequest({ ...form, weekly_hours_cap: ' ' });
    expect('body' in none && none.body.weekly_hours_cap).toBeNull();
    expect(profileRequest({ ...form, weekly_hours_cap: '7.5' })).toEqual({
      errors: { weekly_hours_cap: 'Enter whole hours, or leave it empty for no cap.' },
    });
  });

  it('splits languages on commas, semicolons and spaces', () => {
    expect(splitLanguages(' en,pt-BR;  de  fr ,')).toEqual(['en', 'pt-BR', 'de', 'fr']);
    expect(splitLanguages('')).toEqual([]);
  });
});

describe('server errors beside their fields', () => {
  const fields = {
    'languages[1]': 'not a BCP 47 tag',
    'domains[0].domain': 'unknown domain',
    'affiliations[1].organisation': 'required',
    'affiliations[0]': 'duplicate',
    affiliations: 'at most 50',
  };

  it('names the language tags at fault', () => {
    expect(languagesError(fields, ['en', 'xx_1'])).toBe('“xx_1”: not a BCP 47 tag');
    expect(languagesError({}, ['en'])).toBeUndefined();
  });

  it('finds a row field and gathers the rest of a list', () => {
    expect(rowError(fields, 'domains', 0, 'domain')).toBe('unknown domain');
    expect(rowError(fields, 'domains', 1, 'domain')).toBeUndefined();
    expect(listError(fields, 'affiliations', ['organisation', 'kind', 'since', 'until'])).toBe('Row 1: duplicate; at most 50');
    expect(listError(fields, 'domains', ['domain', 'level'])).toBeUndefined();
  });
});
