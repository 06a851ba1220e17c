import { describe, expect, it } from 'vitest';

import type { ProjectRequirements } from '../api/lab';
import { formFromRequirements, NO_REQUIREMENTS, requirementLines, requirementsErrors, requirementsPatch } from './requirements';

const R: ProjectRequirements = {
  min_exam_score: 80,
  credential_kinds: ['licence'],
  languages: ['en', 'de'],
  competitors: ['acme ai'],
  terms: { version: 2, text: 'Keep it secret.', created_at: '2026-12-01T00:00:00Z' },
  standing: { min_gold_accuracy: 0.7, min_skill: null, min_judgments: 10 },
};

describe('requirements form', () => {
  it('reads requirements into text and sends them back unchanged, without the terms', () => {
    const f = formFromRequirements(R);
    expect(f).toMatchObject({ languages: 'en, de', competitors: 'acme ai', min_gold_accuracy: '70', min_skill: '', terms: 'Keep it secret.' });
    expect(requirementsPatch(f, R)).toEqual({
      patch: {
        min_exam_score: 80,
        credential_kinds: ['licence'],
        languages: ['en', 'de'],
        competitors: ['acme ai'],
        standing: { min_gold_accuracy: 0.7, min_skill: null, min_judgments: 10 },
      },
    });
  });

  it('sends new terms text, and "" to remove the terms', () => {
    const f = formFromRequirements(R);
    expect(requirementsPatch({ ...f, terms: 'New terms.' }, R)).toMatchObject({ patch: { terms: 'New terms.' } });
    expect(requirementsPatch({ ...f, terms: '  ' }, R)).toMatchObject({ patch: { terms: '' } });
    const none = requirementsPatch(formFromRequirements(NO_REQUIREMENTS), NO_REQUIREMENTS);
    expect('patch' in none && 'terms' in none.patch).toBe(false);
  });

  it('reads competitors a line each and languages separated by commas or spaces', () => {
    const f = { ...formFromRequirements(NO_REQUIREMENTS), competitors: ' Acme AI \n\nGlobex\n', languages: 'en de,fr' };
    expect(requirementsPatch(f, NO_REQUIREMENTS)).toMatchObject({ patch: { competitors: ['Acme AI', 'Globex'], languages: ['en', 'de', 'fr'] } });
  });

  it('refuses numbers it cannot read, under the server’s field names', () => {
    const f = { ...formFromRequirements(NO_REQUIREMENTS), min_exam_score: 'high', min_gold_accuracy: 'most', min_judgments: '' };
    expect(requirementsPatch(f, NO_REQUIREMENTS)).toEqual({
      errors: {
        'requirements.min_exam_score': 'Enter a score from 0 to 100 (0: any pass).',
        'requirements.standing.min_judgments': 'Enter a number of judgments.',
        'requirements.standing.min_gold_accuracy': 'Enter a percentage, or leave it empty.',
      },
    });
  });

  it('puts the server’s errors beside the form’s fields', () => {
    expect(
      requirementsErrors({ 'requirements.languages[1]': 'invalid', 'requirements.standing.min_skill': 'out_of_range', name: 'required' }),
    ).toEqual({ fields: { languages: 'invalid', min_skill: 'out_of_range' }, form: 'name: required' });
  });
});

describe('requirementLines', () => {
  it('says each requirement in words', () => {
    expect(requirementLines(R, (k) => (k === 'licence' ? 'Licence' : k))).toEqual([
      'a qualifying exam score of at least 80',
      'a verified licence',
      'speaks en, de',
      'not affiliated with acme ai',
      'accepts the terms (version 2)',
      'gold accuracy at least 70% after 10 judgments',
    ]);
    expect(requirementLines(NO_REQUIREMENTS, (k) => k)).toEqual([]);
    const one = { ...NO_REQUIREMENTS, standing: { min_gold_accuracy: null, min_skill: 0.5, min_judgments: 1 } };
    expect(requirementLines(one, (k) => k)).toEqual(['skill at least 0.5 after 1 judgment']);
  });
});
