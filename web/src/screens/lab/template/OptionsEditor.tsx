// The options of a label, multi-label or ranking question: edit, reorder, remove, add.
import { useState } from 'preact/hooks';

import { controlId } from '../../../lab/error-paths';
import { moveTo, removeAt, replaceAt } from '../../../lab/template-edit';
import { type ListProps, ListGroup } from './ListGroup';
import { focusSoon } from './PartActions';

export function OptionsEditor({ path, question, items: options, errors, onChange }: ListProps<string>) {
  const [draft, setDraft] = useState('');
  const id = controlId(path);
  const add = () => {
    const value = draft.trim();
    if (!value) return;
    onChange([...options, value]);
    setDraft('');
  };
  return (
    <ListGroup path={path} title={`Options of ${question}`} errors={errors}>
      <ol class="list-editor">
        {options.map((o, j) => {
          const oid = `${id}-${j}`;
          const oerror = errors[`${path}[${j}]`];
          return (
            <li key={j}>
              <input
                id={oid}
                aria-label={`Option ${j + 1} of ${question}`}
                aria-invalid={oerror ? true : undefined}
                value={o}
                onInput={(e) => onChange(replaceAt(options, j, e.currentTarget.value))}
              />
              <button
                type="button"
                class="button small"
                aria-label={`Move option ${o} up`}
                disabled={j === 0}
                onClick={() => {
                  onChange(moveTo(options, j, j - 1));
                  focusSoon(`${id}-${j - 1}`);
                }}
              >
                ↑
              </button>
              <button
                type="button"
                class="button small"
                aria-label={`Remove option ${o}`}
                onClick={() => {
                  onChange(removeAt(options, j));
                  focusSoon(`${id}-new`);
                }}
              >
                ✕
              </button>
              {oerror && (
                <span class="field-error" role="alert">
                  {oerror}
                </span>
              )}
            </li>
          );
        })}
      </ol>
      <div class="add-row">
        <input
          id={`${id}-new`}
          aria-label={`New option for ${question}`}
          placeholder="New option"
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" class="button small" onClick={add} disabled={!draft.trim()}>
          Add option
        </button>
      </div>
    </ListGroup>
  );
}
