// An exam attempt as the expert sees it: its questions as a template the answer components
// render, the answers kept so far, the time left by the server's clock, and what the result
// means.
import type { Attempt, AttemptQuestion, ExamQuestionBody, Mine } from '../api/exams';
import type { Answer, Question, Template } from '../api/template';
import { answerFromDraft, cleanAnswer, type QuestionErrors } from '../task/answer';
import { formatTime } from '../ui/format';

function pointsWord(n: number): string {
  return n === 1 ? '1 point' : `${n} points`;
}

/** The template question for an exam question: named by its id, titled by its place, with the
 * prompt as its description. Each counts as required (an unanswered one earns 0), though a
 * submit with some left open is the candidate's choice and is not held back. */
export function templateQuestion(q: { id: string; prompt: string; question: ExamQuestionBody; max_points: number }, index: number): Question {
  return {
    ...(q.question as Question),
    name: q.id,
    title: `Question ${index + 1} (${pointsWord(q.max_points)})`,
    description: q.prompt,
    required: true,
  };
}

export function examTemplate(questions: readonly AttemptQuestion[]): Template {
  return { fields: [], questions: questions.map(templateQuestion) };
}

/** The answers kept on the server for a running attempt, for its questions only. */
export function savedAnswers(attempt: Attempt): Answer {
  return answerFromDraft(examTemplate(attempt.questions ?? []), attempt.saved_answers ?? {});
}

/** The answers as sent: unanswered questions left out. */
export function answersToSend(attempt: Attempt, answer: Answer): Answer {
  return cleanAnswer(examTemplate(attempt.questions ?? []), answer);
}

/** Seconds left at `nowMs`, counted down from the `seconds_left` the server gave when the
 * attempt was received at `receivedAtMs` (the browser's clock only measures time passed). */
export function secondsLeft(attempt: Pick<Attempt, 'seconds_left'>, receivedAtMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil(attempt.seconds_left - (nowMs - receivedAtMs) / 1000));
}

/** How urgent the countdown looks: under five minutes "low", under one "critical". */
export function urgency(seconds: number): 'normal' | 'low' | 'critical' {
  if (seconds < 60) return 'critical';
  if (seconds < 300) return 'low';
  return 'normal';
}

/** The server's 422 details ("answers.<question id>") by question id. */
export function submitErrors(details: { field: string; code: string; message?: string }[]): QuestionErrors {
  const out: QuestionErrors = {};
  for (const d of details) if (d.field.startsWith('answers.')) out[d.field.slice('answers.'.length)] = d.message ?? d.code;
  return out;
}

export interface ResultView {
  tone: 'ok' | 'bad' | 'wait';
  headline: string;
  lines: string[];
}

/** What a finished (or waiting) attempt means for the expert. */
export function resultView(a: Attempt, levelName: string, domainTitle: string): ResultView {
  const score = a.score === null ? '' : `You scored ${a.score} of 100 (pass mark ${a.pass_mark}).`;
  switch (a.state) {
    case 'in_progress':
      return { tone: 'wait', headline: 'This attempt is still running.', lines: [] };
    case 'grading':
      return {
        tone: 'wait',
        headline: 'Submitted: awaiting grading',
        lines: ['A reviewer grades the free-text answers; the result appears here once every answer is graded.'],
      };
    case 'passed': {
      const lines = [score];
      if (a.qualification_granted) {
        const until = a.qualification_expires_at ? `, valid until ${formatTime(a.qualification_expires_at)}` : '';
        lines.push(`You are now qualified in ${domainTitle} at level ${a.level} (${levelName})${until}.`);
      } else {
        lines.push(`Your qualification in ${domainTitle} stays as it was: it is at least as good as this pass.`);
      }
      return { tone: 'ok', headline: 'Passed', lines };
    }
    case 'failed':
      return { tone: 'bad', headline: 'Not passed', lines: [score] };
    case 'expired':
      return { tone: 'bad', headline: 'Time ran out', lines: ['The attempt was not submitted in time, so it counts as not passed.'] };
  }
}

/** One line on the expert's standing with an exam, for the list. */
export function mineLine(m: Mine | undefined): string {
  if (!m) return '';
  switch (m.status) {
    case 'available':
      return 'Not taken yet.';
    case 'in_progress':
      return m.deadline ? `In progress: submit by ${formatTime(m.deadline)}.` : 'In progress.';
    case 'grading':
      return 'Submitted; awaiting grading.';
    case 'cooldown':
      return m.retake_at ? `Not passed. You can retake it from ${formatTime(m.retake_at)}.` : 'Not passed; wait before retaking it.';
    case 'passed': {
      const until = m.expires_at ? `, valid until ${formatTime(m.expires_at)}` : '';
      return `Passed with ${m.score ?? '?'} of 100${until}.`;
    }
    case 'failed':
      return 'Not passed. You can retake it now.';
  }
}

/** The start button's words for the standing. */
export function startLabel(m: Mine | undefined): string | null {
  if (!m) return 'Start the exam';
  if (m.status === 'in_progress') return 'Continue the exam';
  if (!m.can_start) return null;
  return m.status === 'available' ? 'Start the exam' : 'Retake the exam';
}
