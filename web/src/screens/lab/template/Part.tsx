// One field or question of the template in the editor: a group named by its place and name,
// with the server's error for the whole of it, its controls, and the buttons that move or
// remove it (after removing, the focus goes to the list's "Add" button).
import type { ComponentChildren } from 'preact';

import { controlId } from '../../../lab/error-paths';
import type { NewProjectStore } from '../../../lab/new-project.store';
import { moveField, moveQuestion, removeField, removeQuestion } from '../../../lab/template-edit';
import { FieldError } from '../FieldError';
import { focusSoon, PartActions } from './PartActions';

const LISTS = {
  fields: { kind: 'Field', move: moveField, remove: removeField, add: 'add-field' },
  questions: { kind: 'Question', move: moveQuestion, remove: removeQuestion, add: 'add-question' },
} as const;

export function Part({
  store,
  list,
  index,
  children,
}: {
  store: NewProjectStore;
  list: keyof typeof LISTS;
  index: number;
  children: ComponentChildren;
}) {
  const parts = store.template.value[list];
  const name = parts[index]?.name ?? '';
  const path = `template.${list}[${index}]`;
  const { kind, move, remove, add } = LISTS[list];
  return (
    <fieldset class="part" id={controlId(path)} tabIndex={-1}>
      <legend>
        {kind} {index + 1}: {name || 'unnamed'}
      </legend>
      <FieldError error={store.errors.value.fields[path]} />
      {children}
      <PartActions
        what={`${kind.toLowerCase()} ${name}`}
        path={path}
        index={index}
        count={parts.length}
        // A template needs a question; a field it can do without.
        canRemove={list === 'fields' || parts.length > 1}
        onMove={(to) => store.editTemplate((t) => move(t, index, to), true)}
        onRemove={() => {
          store.editTemplate((t) => remove(t, index), true);
          focusSoon(add);
        }}
      />
    </fieldset>
  );
}
