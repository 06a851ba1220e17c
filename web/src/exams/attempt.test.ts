import { describe, expect, it } from 'vitest';

import type { Attempt, AttemptQuestion } from '../api/exams';
import {
  answersToSend,
  examTemplate,
  mineLine,
  resultView,
  savedAnswers,
  secondsLeft,
  startLabel,
  submitErrors,
  urgency,
} from './attempt';

const QUESTIONS: AttemptQuestion[] = [
  { id: 'exq_a', prompt: 'Is $1+1=2$?', question: { type: 'label', options: ['yes', 'no'] } as never, max_points: 1, answer: null, points: null, graded_by: null, comment: null },
  { id: 'exq_b', prompt: 'Prove it.', question: { type: 'text', max_length: 2000 } as never, max_points: 3, answer: null, points: null, graded_by: null, comment: null },
];

const ATTEMPT: Attempt = {
  id: 'att_1',
  exam_id: 'exm_1',
  domain: 'mathematics',
  level: 3,
  state: 'in_progress',
  started_at: '2026-12-06T10:00:00Z',
  deadline: '2026-12-06T10:30:00Z',
  grace_seconds: 30,
  server_time: '2026-12-06T10:05:00Z',
  seconds_left: 1500,
  submitted_at: null,
  finished_at: null,
  pass_mark: 60,
  max_points: 4,
  points: null,
  score: null,
  passed: null,
  qualification_granted: null,
  qualification_expires_at: null,
  saved_answers: { exq_a: 'yes', exq_gone: 'x' },
  questions: QUESTIONS,
};

describe('the exam as a template', () => {
  it('names each question by its id, titles it by its place and points', () => {
    const t = examTemplate(QUESTIONS);
    expect(t.questions.map((q) => [q.name, q.title, q.description, q.required, q.type])).toEqual([
      ['exq_a', 'Question 1 (1 point)', 'Is $1+1=2$?', true, 'label'],
      ['exq_b', 'Question 2 (3 points)', 'Prove it.', true, 'text'],
    ]);
    expect(t.questions[0]).toMatchObject({ options: ['yes', 'no'] });
  });

  it('takes back the saved answers of its own questions only and sends answered ones', () => {
    expect(savedAnswers(ATTEMPT)).toEqual({ exq_a: 'yes' });
    expect(answersToSend(ATTEMPT, { exq_a: 'no', exq_b: '' })).toEqual({ exq_a: 'no' });
  });

  it('maps the server’s per-answer errors to their questions', () => {
    expect(submitErrors([{ field: 'answers.exq_a', code: 'not_an_option', message: 'not one of the options' }, { field: 'deadline', code: 'x' }])).toEqual({
      exq_a: 'not one of the options',
    });
  });
});

describe('the countdown', () => {
  it('counts down from the server’s seconds left by the time passed since receipt', () => {
    expect(secondsLeft(ATTEMPT, 1_000_000, 1_000_000)).toBe(1500);
    expect(secondsLeft(ATTEMPT, 1_000_000, 1_000_000 + 60_500)).toBe(1440);
    expect(secondsLeft(ATTEMPT, 1_000_000, 1_000_000 + 2_000_000)).toBe(0);
  });

  it('grows urgent in the last minutes', () => {
    expect(urgency(301)).toBe('normal');
    expect(urgency(299)).toBe('low');
    expect(urgency(59)).toBe('critical');
  });
});

describe('the result', () => {
  it('says a pass granted the qualification', () => {
    const r = resultView({ ...ATTEMPT, state: 'passed', score: 75, passed: true, qualification_granted: true, qualification_expires_at: null }, 'master', 'Mathematics');
    expect(r.tone).toBe('ok');
    expect(r.lines).toEqual(['You scored 75 of 100 (pass mark 60).', 'You are now qualified in Mathematics at level 3 (master).']);
  });

  it('says a pass kept a better qualification, and a fail gives the score', () => {
    expect(resultView({ ...ATTEMPT, state: 'passed', score: 80, qualification_granted: false }, 'master', 'Mathematics').lines[1]).toMatch(/stays as it was/);
    expect(resultView({ ...ATTEMPT, state: 'failed', score: 40 }, 'master', 'Mathematics')).toEqual({
      tone: 'bad',
      headline: 'Not passed',
      lines: ['You scored 40 of 100 (pass mark 60).'],
    });
    expect(resultView({ ...ATTEMPT, state: 'grading' }, 'master', 'Mathematics').headline).toBe('Submitted: awaiting grading');
  });
});

describe('the standing with an exam', () => {
  const base = { can_start: true, deadline: null, retake_at: null, score: null, expires_at: null, attempt_id: null };
  it('offers start, continue or retake, and nothing inside the cool-down', () => {
    expect(startLabel({ ...base, status: 'available' })).toBe('Start the exam');
    expect(startLabel({ ...base, status: 'in_progress', can_start: false })).toBe('Continue the exam');
    expect(startLabel({ ...base, status: 'failed' })).toBe('Retake the exam');
    expect(startLabel({ ...base, status: 'cooldown', can_start: false, retake_at: '2026-12-07T10:00:00Z' })).toBeNull();
    expect(startLabel({ ...base, status: 'grading', can_start: false })).toBeNull();
  });

  it('says when a retake is allowed', () => {
    expect(mineLine({ ...base, status: 'cooldown', can_start: false, retake_at: '2026-12-07T10:00:00Z' })).toMatch(/^Not passed\. You can retake it from /);
    expect(mineLine({ ...base, status: 'passed', score: 90 })).toBe('Passed with 90 of 100.');
  });
});
