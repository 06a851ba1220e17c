// An answer as a reader sees it (the expert looking back, a reviewer, the lab): each question
// with its value in words, written text rendered through the sanitizer like everything else.
import { Fragment, type JSX } from 'preact';

import type { Answer, PreferenceAnswer, Question } from '../api/template';
import { Markdown } from '../ui/Markdown';
import { unanswered } from './answer';
import { OptionText } from './inputs';

function preferenceText(q: Question & { type: 'preference' }, v: PreferenceAnswer): string {
  if (v.choice === 'tie') return 'Tie';
  const max = q.strength_max ?? 3;
  return v.strength !== undefined && max > 0 ? `${v.choice} is better (strength ${v.strength} of ${max})` : `${v.choice} is better`;
}

function Value({ q, value }: { q: Question; value: unknown }): JSX.Element {
  switch (q.type) {
    case 'label':
      return (
        <div class="answer-value">
          <OptionText text={String(value)} />
        </div>
      );
    case 'multi_label':
      return Array.isArray(value) && value.length > 0 ? (
        <ul class="option-list">
          {value.map((o) => (
            <li key={String(o)}>
              <OptionText text={String(o)} />
            </li>
          ))}
        </ul>
      ) : (
        <p>none chosen</p>
      );
    case 'rating':
      return <p>{`${String(value)} (scale ${q.min}–${q.max})`}</p>;
    case 'ranking':
      return <ol>{(Array.isArray(value) ? value : []).map((o) => <li key={String(o)}>{String(o)}</li>)}</ol>;
    case 'preference':
      return <p>{preferenceText(q, value as PreferenceAnswer)}</p>;
    case 'rubric': {
      const v = (value ?? {}) as Record<string, unknown>;
      return (
        <div>
          <dl class="facts">
            {q.criteria.map((c) => (
              <Fragment key={c.name}>
                <dt>{c.title || c.name}</dt>
                <dd>
                  {c.kind === 'pass_fail' ? (v[c.name] === true ? 'Pass' : v[c.name] === false ? 'Fail' : '–') : `${String(v[c.name] ?? '–')} of ${c.max_points ?? 0}`}
                </dd>
              </Fragment>
            ))}
          </dl>
          {typeof v.comment === 'string' && v.comment !== '' && <Markdown source={v.comment} />}
        </div>
      );
    }
    case 'text':
      return <Markdown source={String(value)} />;
    case 'number':
      return <p>{String(value)}</p>;
  }
}

export function AnswerView({ questions, answer }: { questions: Question[]; answer: Answer }) {
  return (
    <div class="answer-view">
      {questions.map((q) => (
        <section key={q.name} class="answer-entry" aria-label={q.title || q.name}>
          <h4>{q.title || q.name}</h4>
          {unanswered(q, answer[q.name]) ? <p class="muted">not answered</p> : <Value q={q} value={answer[q.name]} />}
        </section>
      ))}
    </div>
  );
}
