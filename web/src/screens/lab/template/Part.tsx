// One field or question of the template in the editor: a group named by its place and name,
// with the server's error for the whole of it, its controls, and the buttons that move or
// remove it (after removing, the focus goes to the list's "Add" button).
import type { ComponentChildren } from 'preact';

import { controlId } from '../../../lab/error-paths';
import { moveField, moveQuestion, removeField, removeQuestion } from '../../../lab/template-edit';
import { FieldError } from '../FieldError';
import { addButtonId, type TemplateDraft } from './draft';
import { focusSoon, PartActions } from './PartActions';

const LISTS = {
  fields: { kind: 'Field', move: moveField, remove: removeField },
  questions: { kind: 'Question', move: moveQuestion, remove: removeQuestion },
} as const;

export function Part({
  draft,
  list,
  index,
  children,
}: {
  draft: TemplateDraft;
  list: keyof typeof LISTS;
  index: number;
  children: ComponentChildren;
}) {
  const parts = draft.template[list];
  const name = parts[index]?.name ?? '';
  const path = `${draft.root}.${list}[${index}]`;
  const { kind, move, remove } = LISTS[list];
  return (
    <fieldset class="part" id={controlId(path)} tabIndex={-1}>
      <legend>
        {kind} {index + 1}: {name || 'unnamed'}
      </legend>
      <FieldError error={draft.errors[path]} />
      {children}
      <PartActions
        what={`${kind.toLowerCase()} ${name}`}
        path={path}
        index={index}
        count={parts.length}
        // A template needs a question; a field it can do without.
        canRemove={list === 'fields' || parts.length > 1}
        onMove={(to) => draft.edit((t) => move(t, index, to), true)}
        onRemove={() => {
          draft.edit((t) => remove(t, index), true);
          focusSoon(addButtonId(draft.root, list));
        }}
      />
    </fieldset>
  );
}
