// The template editor: the fields an expert reads, the questions they answer, the export
// mapping, and the whole as JSON. Edits go to the chosen preset's draft.
import { controlId } from '../../../lab/error-paths';
import type { NewProjectStore } from '../../../lab/new-project.store';
import { addField } from '../../../lab/template-edit';
import { FieldError } from '../FieldError';
import { AddQuestion } from './AddQuestion';
import { ExportEditor } from './ExportEditor';
import { storeDraft } from './draft';
import { FieldEditor } from './FieldEditor';
import { focusSoon } from './PartActions';
import { QuestionEditor } from './QuestionEditor';
import { TemplateJson } from './TemplateJson';

export function TemplateEditor({ store }: { store: NewProjectStore }) {
  const t = store.template.value;
  const errors = store.errors.value.fields;
  const draft = storeDraft(store);
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
        <FieldEditor key={i} draft={draft} index={i} />
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
        <QuestionEditor key={i} draft={draft} index={i} />
      ))}
      <AddQuestion draft={draft} />
      <h3>Export</h3>
      <ExportEditor store={store} />
      <TemplateJson store={store} />
    </section>
  );
}
