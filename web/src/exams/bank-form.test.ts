import { describe, expect, it } from 'vitest';

import type { Exam } from '../api/exams';
import { bankErrors, bankSettings, formFromExam, NEW_BANK, questionBody, questionErrors } from './bank-form';

describe('bank settings', () => {
  it('sends minutes and hours as seconds', () => {
    const r = bankSettings({ ...NEW_BANK, domain: 'law', title: ' Tax law ', time_limit_minutes: '45', cooldown_hours: '0.5', valid_days: '' });
    expect(r).toEqual({
      settings: {
        domain: 'law',
        level: 3,
        title: 'Tax law',
        description: '',
        time_limit_seconds: 2700,
        pass_mark: 70,
        cooldown_seconds: 1800,
        draw_count: 5,
        valid_days: null,
        status: 'draft',
      },
    });
  });

  it('refuses numbers it cannot read and a missing domain', () => {
    expect(bankSettings({ ...NEW_BANK, time_limit_minutes: 'soon', pass_mark: '' })).toEqual({
      errors: { time_limit_minutes: 'Enter the time limit in minutes.', pass_mark: 'Enter a pass mark from 0 to 100.', domain: 'Choose a domain.' },
    });
  });

  it('reads an exam back into the form', () => {
    const exam = { domain: 'mathematics', level: 3, title: 'T', description: 'd', time_limit_seconds: 1800, pass_mark: 60, cooldown_seconds: 86400, draw_count: 5, valid_days: null, status: 'active', id: 'exm_1', level_name: 'master' } as Exam;
    expect(formFromExam(exam)).toMatchObject({ time_limit_minutes: '30', cooldown_hours: '24', valid_days: '', status: 'active' });
  });

  it('puts the server’s errors on the form’s fields', () => {
    expect(bankErrors({ time_limit_seconds: 'out of range', title: 'required' })).toEqual({ time_limit_minutes: 'out of range', title: 'required' });
  });
});

describe('questions', () => {
  it('parses the question and gold as JSON; no gold for a reviewer’s question', () => {
    expect(questionBody({ prompt: 'p', points: '2', question: '{"type":"text"}', gold: ' ' })).toEqual({
      body: { prompt: 'p', points: 2, question: { type: 'text' }, gold: null },
    });
    expect(questionBody({ prompt: 'p', points: '1', question: '{"type":"label","options":["a"]}', gold: '"a"' })).toMatchObject({ body: { gold: 'a' } });
  });

  it('says which JSON does not parse', () => {
    const r = questionBody({ prompt: 'p', points: 'x', question: '{type: label}', gold: 'yes' });
    expect(Object.keys('errors' in r ? r.errors : {}).sort()).toEqual(['gold', 'points', 'question']);
  });

  it('gathers the server’s question errors under the question', () => {
    expect(questionErrors({ 'question.options': 'empty', 'question.type': 'unknown_type', gold: 'not_an_option' })).toEqual({
      question: 'options: empty; type: unknown_type',
      gold: 'not_an_option',
    });
  });
});
