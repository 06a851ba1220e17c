// How the answers map onto training data: an SFT example (prompt and response) and a
// preference pair (prompt, two responses, the verdict). The raw export needs no mapping.
import type { PreferenceExport, SftExport, Template } from '../../../api/template';
import { controlId } from '../../../lab/error-paths';
import type { NewProjectStore } from '../../../lab/new-project.store';
import {
  fieldsFor,
  questionsOfType,
  setPreference,
  setSft,
  SLOT_FIELD_TYPES,
  suggestPreference,
  suggestSft,
} from '../../../lab/template-edit';
import { Options } from '../Options';
import { CheckSetting, SelectSetting } from './controls';

/** The choices of a slot; the current value stays listed (marked) when it is no longer one. */
function Choices({ names, value, prefix = '', blank }: { names: string[]; value: string; prefix?: string; blank: string }) {
  return (
    <>
      {(value === '' || !names.includes(value)) && <option value={value}>{value === '' ? blank : `${value} (not in the template)`}</option>}
      <Options items={names} />
    </>
  );
}

interface MappingProps<M> {
  t: Template;
  mapping: M;
  errors: Record<string, string>;
  onChange: (m: M) => void;
}

function SftMapping({ t, mapping: sft, errors, onChange }: MappingProps<SftExport>) {
  const texts = questionsOfType(t, 'text');
  const promptFields = fieldsFor(t, SLOT_FIELD_TYPES.prompt);
  const fromQuestion = sft.prompt_question !== undefined;
  const prompt = fromQuestion ? `question:${sft.prompt_question}` : `field:${sft.prompt_field ?? ''}`;
  const path = 'template.export.sft';
  const promptError = errors[`${path}.prompt_field`] ?? errors[`${path}.prompt_question`];
  const withPrompt = (v: string) => {
    const { prompt_field: _f, prompt_question: _q, ...rest } = sft;
    const [kind, name = ''] = v.split(/:(.*)/s);
    return kind === 'question' ? { prompt_question: name, ...rest } : { prompt_field: name, ...rest };
  };
  return (
    <div class="mapping" id={controlId(path)} tabIndex={-1}>
      <SelectSetting path={`${path}.prompt_field`} label="Prompt" errors={{ [`${path}.prompt_field`]: promptError ?? '' }} value={prompt} onValue={(v) => onChange(withPrompt(v))}>
        {(prompt === 'field:' || prompt === 'question:') && <option value={prompt}>— choose —</option>}
        <optgroup label="From the item">
          <Options items={promptFields.map((n) => [`field:${n}`, n] as const)} />
        </optgroup>
        <optgroup label="From the expert's written answer">
          <Options items={texts.map((n) => [`question:${n}`, n] as const)} />
        </optgroup>
      </SelectSetting>
      <SelectSetting
        path={`${path}.response_question`}
        label="Response (a written answer)"
        errors={errors}
        value={sft.response_question}
        onValue={(v) => onChange({ ...sft, response_question: v })}
      >
        <Choices names={texts} value={sft.response_question} blank="— choose —" />
      </SelectSetting>
      <SelectSetting
        path={`${path}.system_field`}
        label="System prompt"
        errors={errors}
        value={sft.system_field ?? ''}
        onValue={(v) => {
          const { system_field: _, ...rest } = sft;
          onChange(v ? { ...rest, system_field: v } : rest);
        }}
      >
        <option value="">none</option>
        <Options items={fieldsFor(t, SLOT_FIELD_TYPES.system)} />
      </SelectSetting>
    </div>
  );
}

function PreferenceMapping({ t, mapping: pref, errors, onChange }: MappingProps<PreferenceExport>) {
  const path = 'template.export.preference';
  const slot = (key: keyof PreferenceExport, label: string, names: string[]) => (
    <SelectSetting path={`${path}.${key}`} label={label} errors={errors} value={pref[key]} onValue={(v) => onChange({ ...pref, [key]: v })}>
      <Choices names={names} value={pref[key]} blank="— choose —" />
    </SelectSetting>
  );
  return (
    <div class="mapping" id={controlId(path)} tabIndex={-1}>
      {slot('prompt_field', 'Prompt', fieldsFor(t, SLOT_FIELD_TYPES.prompt))}
      {slot('a_field', 'Response A', fieldsFor(t, SLOT_FIELD_TYPES.response))}
      {slot('b_field', 'Response B', fieldsFor(t, SLOT_FIELD_TYPES.response))}
      {slot('question', 'Verdict', questionsOfType(t, 'preference'))}
    </div>
  );
}

export function ExportEditor({ store }: { store: NewProjectStore }) {
  const t = store.template.value;
  const errors = store.errors.value.fields;
  const sft = t.export?.sft;
  const pref = t.export?.preference;
  const edit = (change: (t: Template) => Template) => store.editTemplate(change);
  const toggle = (kind: 'sft' | 'preference', label: string, on: boolean, turn: (t: Template, on: boolean) => Template) => (
    <CheckSetting path={`template.export.${kind}.enabled`} label={label} errors={{}} checked={on} onValue={(v) => edit((x) => turn(x, v))} />
  );
  return (
    <fieldset class="part" id="template-export" tabIndex={-1}>
      <legend>Export mapping</legend>
      <p class="muted">The raw export (every answer with its item) is always there. Map the template onto training formats:</p>
      {toggle('sft', 'SFT: prompt and response as chat messages', !!sft, (x, on) => setSft(x, on ? suggestSft(x) : null))}
      {sft && <SftMapping t={t} mapping={sft} errors={errors} onChange={(s) => edit((x) => setSft(x, s))} />}
      {toggle('preference', 'Preference pairs: prompt, chosen and rejected', !!pref, (x, on) => setPreference(x, on ? suggestPreference(x) : null))}
      {pref && <PreferenceMapping t={t} mapping={pref} errors={errors} onChange={(p) => edit((x) => setPreference(x, p))} />}
    </fieldset>
  );
}
