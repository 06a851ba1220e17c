// The new-project form's state: the settings, the chosen preset with the lab's edits to its
// template (kept per preset, so trying another preset loses nothing), the sample item of the
// preview, and the server's field errors. Components read the signals; the actions change them.
import { computed, signal } from '@preact/signals';

import { labApi, type LabProject, type NewProjectBody, type Preset } from '../api/lab';
import type { Template } from '../api/template';
import { type FormErrors, formErrors, NO_ERRORS } from '../ui/errors';
import { sampleItem } from './sample-item';
import { sameTemplate } from './template-edit';

export interface ProjectSettings {
  name: string;
  description: string;
  /** A domain's name, or "" for a project open to every expert. */
  domain: string;
  minLevel: string;
  redundancy: string;
  goldRate: string;
  guidelines: string;
}

const DEFAULT_SETTINGS: ProjectSettings = {
  name: '',
  description: '',
  domain: '',
  minLevel: '1',
  redundancy: '3',
  goldRate: '0.1',
  guidelines: '',
};

const EMPTY_TEMPLATE: Template = { fields: [], questions: [] };

/** A number typed in a box: left out when blank, the number when it is one, else the text as
 * typed, so the server's error names the box. */
export function numberOrText(typed: string): number | string | undefined {
  const t = typed.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

export function createNewProjectStore(
  presets: readonly Preset[],
  create: (body: NewProjectBody) => Promise<LabProject> = labApi.createProject,
) {
  const settings = signal<ProjectSettings>(DEFAULT_SETTINGS);
  const presetName = signal(presets[0]?.name ?? '');
  const drafts = signal<Record<string, Template>>({});
  const sampleEdits = signal<Record<string, unknown> | null>(null);
  const errors = signal<FormErrors>(NO_ERRORS);
  const busy = signal(false);
  /** How many times the form was sent: what the error summary takes focus on. */
  const attempts = signal(0);

  const preset = computed(() => presets.find((p) => p.name === presetName.value) ?? null);
  const template = computed(() => drafts.value[presetName.value] ?? preset.value?.template ?? EMPTY_TEMPLATE);
  const edited = computed(() => !!preset.value && !sameTemplate(template.value, preset.value.template));
  const sample = computed(() => sampleItem(template.value, sampleEdits.value ?? {}));

  function clearTemplateErrors() {
    const fields = Object.fromEntries(Object.entries(errors.value.fields).filter(([k]) => !k.startsWith('template')));
    errors.value = { ...errors.value, fields };
  }

  function setSetting<K extends keyof ProjectSettings>(key: K, value: ProjectSettings[K]) {
    settings.value = { ...settings.value, [key]: value };
  }

  function choosePreset(name: string) {
    presetName.value = name;
    clearTemplateErrors();
  }

  /** Applies `edit` to the template. A structural edit (adding, removing, moving, changing a
   * type) shifts the positions the server's errors name, so it clears them. */
  function editTemplate(edit: (t: Template) => Template, structural = false) {
    drafts.value = { ...drafts.value, [presetName.value]: edit(template.value) };
    if (structural) clearTemplateErrors();
  }

  /** Back to the preset's own template. */
  function resetTemplate() {
    const { [presetName.value]: _, ...others } = drafts.value;
    drafts.value = others;
    clearTemplateErrors();
  }

  function setSample(data: Record<string, unknown>) {
    sampleEdits.value = data;
  }

  /** The create request: the preset by name while its template is unchanged, else the template. */
  function body(): NewProjectBody {
    const s = settings.value;
    const out: NewProjectBody = { name: s.name, domain: s.domain === '' ? null : s.domain, guidelines: s.guidelines };
    if (s.description.trim()) out.description = s.description;
    if (preset.value && !edited.value) out.preset = preset.value.name;
    else out.template = template.value;
    const minLevel = numberOrText(s.minLevel);
    if (s.domain !== '' && minLevel !== undefined) out.min_level = minLevel;
    const redundancy = numberOrText(s.redundancy);
    if (redundancy !== undefined) out.redundancy = redundancy;
    const goldRate = numberOrText(s.goldRate);
    if (goldRate !== undefined) out.gold_rate = goldRate;
    return out;
  }

  /** Creates the project; on a refusal, keeps the server's errors and returns null. */
  async function submit(): Promise<LabProject | null> {
    busy.value = true;
    errors.value = NO_ERRORS;
    try {
      return await create(body());
    } catch (err) {
      errors.value = formErrors(err);
      return null;
    } finally {
      busy.value = false;
      attempts.value++;
    }
  }

  return {
    presets,
    settings,
    presetName,
    template,
    edited,
    sample,
    errors,
    busy,
    attempts,
    setSetting,
    choosePreset,
    editTemplate,
    resetTemplate,
    setSample,
    body,
    submit,
  };
}

export type NewProjectStore = ReturnType<typeof createNewProjectStore>;
