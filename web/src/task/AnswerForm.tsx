// The questions of a template, each with its input and, next to it, what is wrong with the
// answer so far. The form owns no state: the answer and the errors come from the caller.
import type { JSX } from 'preact';

import type { Answer, Question, Template } from '../api/template';
import { Markdown } from '../ui/Markdown';
import type { QuestionErrors } from './answer';
import {
  LabelInput,
  MultiLabelInput,
  NumberInput,
  PreferenceInput,
  RankingInput,
  RatingInput,
  RubricInput,
  TextInput,
} from './inputs';

type Setter = (value: unknown) => void;

function QuestionInput({ q, value, onChange, id }: { q: Question; value: unknown; onChange: Setter; id: string }): JSX.Element {
  const props = { value: value as never, onChange, id };
  switch (q.type) {
    case 'label':
      return <LabelInput q={q} {...props} />;
    case 'multi_label':
      return <MultiLabelInput q={q} {...props} />;
    case 'rating':
      return <RatingInput q={q} {...props} />;
    case 'ranking':
      return <RankingInput q={q} {...props} />;
    case 'preference':
      return <PreferenceInput q={q} {...props} />;
    case 'rubric':
      return <RubricInput q={q} {...props} />;
    case 'text':
      return <TextInput q={q} {...props} />;
    case 'number':
      return <NumberInput q={q} {...props} />;
  }
}

/** Text boxes carry their own label; choices are grouped under a legend. */
function labelledByFor(q: Question): boolean {
  return q.type === 'text' || q.type === 'number';
}

export function AnswerForm({
  template,
  answer,
  errors,
  onChange,
  idPrefix = 'q',
}: {
  template: Template;
  answer: Answer;
  errors: QuestionErrors;
  onChange: (question: string, value: unknown) => void;
  idPrefix?: string;
}) {
  return (
    <div class="answer-form">
      {template.questions.map((q) => {
        const id = `${idPrefix}-${q.name}`;
        const error = errors[q.name];
        const title = q.title || q.name;
        const required = q.required ?? true;
        const heading = (
          <>
            {title}
            {!required && <span class="muted"> (optional)</span>}
          </>
        );
        return (
          <div key={q.name} class={`question question-${q.type}${error ? ' has-error' : ''}`} data-question={q.name}>
            {labelledByFor(q) ? (
              <label class="question-title" for={`${id}-input`}>
                {heading}
              </label>
            ) : (
              <p class="question-title" id={`${id}-title`}>
                {heading}
              </p>
            )}
            {q.description && <Markdown source={q.description} class="question-help" />}
            <div
              role={labelledByFor(q) ? undefined : 'group'}
              aria-labelledby={labelledByFor(q) ? undefined : `${id}-title`}
              aria-describedby={error ? `${id}-error` : undefined}
            >
              <QuestionInput q={q} value={answer[q.name]} onChange={(v) => onChange(q.name, v)} id={id} />
            </div>
            {error && (
              <p class="field-error" id={`${id}-error`} role="alert">
                {error}
              </p>
            )}
          </div>
        );
      })}
    </div>
  );
}
