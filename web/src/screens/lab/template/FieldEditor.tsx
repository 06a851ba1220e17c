// One field of the template: what the expert sees of each item's data under that name.
import type { FieldType, TemplateField } from '../../../api/template';
import { FIELD_TYPES, setField } from '../../../lab/template-edit';
import { Options } from '../Options';
import { CheckSetting, SelectSetting, TextSetting, withSetting } from './controls';
import type { TemplateDraft } from './draft';
import { Part } from './Part';

export function FieldEditor({ draft, index }: { draft: TemplateDraft; index: number }) {
  const f = draft.template.fields[index];
  if (!f) return null;
  const errors = draft.errors;
  const base = `${draft.root}.fields[${index}]`;
  const update = (next: TemplateField) => draft.edit((x) => setField(x, index, next));
  return (
    <Part draft={draft} list="fields" index={index}>
      <div class="grid">
        <TextSetting path={`${base}.name`} label="Name" errors={errors} value={f.name} onValue={(name) => update({ ...f, name })} />
        <SelectSetting<FieldType> path={`${base}.type`} label="Type" errors={errors} value={f.type} onValue={(type) => update({ ...f, type })}>
          <Options items={Object.entries(FIELD_TYPES)} />
        </SelectSetting>
        <TextSetting path={`${base}.title`} label="Title" errors={errors} value={f.title ?? ''} onValue={(v) => update(withSetting(f, 'title', v))} />
        {f.type === 'code' && (
          <TextSetting
            path={`${base}.language`}
            label="Language"
            errors={errors}
            placeholder="python"
            value={f.language ?? ''}
            onValue={(v) => update(withSetting(f, 'language', v))}
          />
        )}
        <CheckSetting path={`${base}.required`} label="Required" errors={errors} checked={f.required ?? true} onValue={(required) => update({ ...f, required })} />
      </div>
    </Part>
  );
}
