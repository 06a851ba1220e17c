// The template editor: the fields an expert reads, the questions they answer, the export
// mapping, and the whole as JSON. Edits go to the chosen preset's draft.
import { useState } from 'preact/hooks';

import type { QuestionType } from '../../../api/template';
import { controlId } from '../../../lab/error-paths';
import type { NewProjectStore } from '../../../lab/new-project.store';
import { addField, addQuestion, QUESTION_TYPES } from '../../../lab/template-edit';
import { FieldError } from '../FieldError';
import { Options } from '../Options';
import { ExportEditor } from './ExportEditor';
import { FieldEditor } from './FieldEditor';
import { focusSoon } from './PartActions';
import { QuestionEditor } from './QuestionEditor';
import { TemplateJson } from './TemplateJson';

export function TemplateEditor({ store }: { store: NewProjectStore }) {
  const t = store.template.value;
  const errors = store.errors.value.fields;
  const [newType, setNewType] = useState<QuestionType>('label');
  return (
    <section class="card template-editor" aria-labelledby="template-title" id="template" tabIndex={-1}>
      <div class="card-head">
        <h2 id="template-title">Template</h2>
        <span class="head-actions">
          <a class="narrow-only" href="#preview-title">
            See the preview
          </a>
          {store.edited.value && (
            <button type="button" class="button small" onClick={() => store.resetTemplate()}>
              Undo all edits
            </button>
          )}
        </span>
      </div>
      <p class="muted">
        {store.edited.value ? 'Edited from the preset.' : 'As the preset has it.'} Fields are what the expert reads of each item; questions are what
        they answer.
      </p>
      <FieldError error={errors.template} />
      <h3>Fields</h3>
      {t.fields.length === 0 && <p class="muted">No fields: the expert answers without an item to read.</p>}
      {t.fields.map((_, i) => (
        <FieldEditor key={i} store={store} index={i} />
      ))}
      <div>
        <button
          type="button"
          class="button small"
          id="add-field"
          onClick={() => {
            store.editTemplate(addField, true);
            focusSoon(controlId(`template.fields[${t.fields.length}].name`));
          }}
        >
          Add field
        </button>
      </div>
      <h3>Questions</h3>
      <FieldError error={errors['template.questions']} />
      {t.questions.map((_, i) => (
        <QuestionEditor key={i} store={store} index={i} />
      ))}
      <div class="add-row">
        <label for="new-question-type" class="sr-only">
          Type of the new question
        </label>
        <select id="new-question-type" value={newType} onChange={(e) => setNewType(e.currentTarget.value as QuestionType)}>
          <Options items={Object.entries(QUESTION_TYPES)} />
        </select>
        <button
          type="button"
          class="button small"
          id="add-question"
          onClick={() => {
            store.editTemplate((x) => addQuestion(x, newType), true);
            focusSoon(controlId(`template.questions[${t.questions.length}].name`));
          }}
        >
          Add question
        </button>
      </div>
      <h3>Export</h3>
      <ExportEditor store={store} />
      <TemplateJson store={store} />
    </section>
  );
}
