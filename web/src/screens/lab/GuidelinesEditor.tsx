// The guidelines experts read before they answer: markdown with math, written here and shown as
// the expert will see it.
import { useState } from 'preact/hooks';

import type { NewProjectStore } from '../../lab/new-project.store';
import { Markdown } from '../../ui/Markdown';

export function GuidelinesEditor({ store }: { store: NewProjectStore }) {
  const [previewing, setPreviewing] = useState(false);
  const text = store.settings.value.guidelines;
  const error = store.errors.value.fields.guidelines;
  return (
    <section class="card" aria-labelledby="guidelines-form-title">
      <h2 id="guidelines-form-title">Guidelines</h2>
      <div class={`field ${error ? 'has-error' : ''}`}>
        <div class="label-row">
          <label for="guidelines">Guidelines for experts</label>
          <div class="segmented" role="group" aria-label="Guidelines view">
            <button type="button" aria-pressed={!previewing} onClick={() => setPreviewing(false)}>
              Write
            </button>
            <button type="button" aria-pressed={previewing} onClick={() => setPreviewing(true)}>
              Preview
            </button>
          </div>
        </div>
        <textarea
          id="guidelines"
          rows={8}
          hidden={previewing}
          value={text}
          onInput={(e) => store.setSetting('guidelines', e.currentTarget.value)}
          aria-describedby={error ? 'guidelines-error' : 'guidelines-hint'}
        />
        {previewing &&
          (text.trim() ? (
            <Markdown source={text} class="markdown-preview" />
          ) : (
            <p class="markdown-preview muted">Nothing written yet.</p>
          ))}
        {error ? (
          <p class="field-error" id="guidelines-error" role="alert">
            {error}
          </p>
        ) : (
          <p class="field-hint" id="guidelines-hint">
            Markdown with math: <code>$x^2$</code> inline, <code>$$…$$</code> on its own line. Experts see them with every task.
          </p>
        )}
      </div>
    </section>
  );
}
