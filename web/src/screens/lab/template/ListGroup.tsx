// The frame of a list setting of a question (its options, a rubric's criteria): a group named
// "<what> of <question>", reachable by the server's path for the list, with the list's error.
import type { ComponentChildren } from 'preact';

import { controlId } from '../../../lab/error-paths';
import { FieldError } from '../FieldError';

/** What a list editor is given: the list, where it is, and how to change it. */
export interface ListProps<T> {
  /** "template.questions[0].options" */
  path: string;
  /** The question's name, for the controls' accessible names. */
  question: string;
  items: readonly T[];
  errors: Record<string, string>;
  onChange: (items: T[]) => void;
}

export function ListGroup({ path, title, errors, children }: { path: string; title: string; errors: Record<string, string>; children: ComponentChildren }) {
  const id = controlId(path);
  const error = errors[path];
  return (
    <div class={`field ${error ? 'has-error' : ''}`} role="group" aria-labelledby={`${id}-label`} id={id} tabIndex={-1}>
      <p class="group-label" id={`${id}-label`}>
        {title}
      </p>
      {children}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}
