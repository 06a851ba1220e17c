// The preset a project starts from. Each preset keeps its own edits, so trying another one
// loses nothing.
import type { Template } from '../../api/template';
import type { NewProjectStore } from '../../lab/new-project.store';

function outline(t: Template): string {
  const fields = t.fields.map((f) => f.name).join(', ') || 'no fields';
  const questions = t.questions.map((q) => `${q.name} (${q.type})`).join(', ');
  return `${fields} → ${questions}`;
}

export function PresetPicker({ store }: { store: NewProjectStore }) {
  const chosen = store.presetName.value;
  return (
    <fieldset class="card presets" id="preset" tabIndex={-1}>
      <legend>Start from a preset</legend>
      <div class="preset-options">
        {store.presets.map((p) => (
          <label key={p.name} class="preset-option">
            <input type="radio" name="preset" value={p.name} checked={chosen === p.name} onChange={() => store.choosePreset(p.name)} />
            <span>
              <strong>{p.title}</strong>
              <span class="muted">{outline(p.template)}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
