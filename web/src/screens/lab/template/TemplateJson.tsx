// The whole template as JSON: to copy it elsewhere, or to paste one in and apply it.
import { useEffect, useState } from 'preact/hooks';

import type { NewProjectStore } from '../../../lab/new-project.store';
import { parseTemplateJson } from '../../../lab/template-edit';
import { JsonField } from '../JsonField';

export function TemplateJson({ store }: { store: NewProjectStore }) {
  const template = store.template.value;
  const [text, setText] = useState(() => JSON.stringify(template, null, 2));
  const [dirty, setDirty] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (!dirty) setText(JSON.stringify(template, null, 2));
  }, [template, dirty]);

  function apply() {
    const parsed = parseTemplateJson(text);
    if (!parsed.ok) {
      setNote({ ok: false, text: parsed.error });
      return;
    }
    store.editTemplate(() => parsed.template, true);
    setDirty(false);
    setNote({ ok: true, text: 'Applied: the editor and the preview show this template.' });
  }

  return (
    <details class="json-view">
      <summary>Template as JSON</summary>
      <JsonField
        id="template-json"
        label="Template JSON"
        rows={16}
        value={text}
        describedBy="template-json-note"
        onText={(value) => {
          setText(value);
          setDirty(true);
          setNote(null);
        }}
      />
      <div class="create-actions">
        <button type="button" class="button" disabled={!dirty} onClick={apply}>
          Apply JSON
        </button>
        {dirty && (
          <button
            type="button"
            class="button"
            onClick={() => {
              setDirty(false);
              setNote(null);
            }}
          >
            Discard changes
          </button>
        )}
        <button
          type="button"
          class="button"
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(
              () => setNote({ ok: true, text: 'Copied to the clipboard.' }),
              () => setNote({ ok: false, text: 'The browser did not allow copying; select the text and copy it.' }),
            );
          }}
        >
          Copy
        </button>
      </div>
      <p id="template-json-note" class={note?.ok === false ? 'field-error' : 'form-note'} role="status">
        {note?.text}
      </p>
    </details>
  );
}
