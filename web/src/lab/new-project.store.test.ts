import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import type { LabProject, NewProjectBody, Preset } from '../api/lab';
import { createNewProjectStore, numberOrText } from './new-project.store';
import { addField, addQuestion, replaceAt } from './template-edit';

const PRESETS: Preset[] = [
  {
    name: 'classification',
    title: 'Verification / classification',
    template: {
      fields: [{ name: 'text', type: 'markdown', title: 'Text', required: true }],
      questions: [{ name: 'label', type: 'label', required: true, options: ['correct', 'incorrect'] }],
    },
  },
  {
    name: 'sft',
    title: 'SFT demonstration',
    template: {
      fields: [{ name: 'prompt', type: 'markdown', required: true }],
      questions: [{ name: 'response', type: 'text', required: true }],
      export: { sft: { prompt_field: 'prompt', response_question: 'response' } },
    },
  },
];

function fill(store: ReturnType<typeof createNewProjectStore>) {
  store.setSetting('name', 'Proofs');
  store.setSetting('domain', 'mathematics');
  store.setSetting('minLevel', '3');
}

describe('new project store', () => {
  it('asks for the preset by name while its template is unchanged', () => {
    const store = createNewProjectStore(PRESETS);
    fill(store);
    expect(store.body()).toEqual({
      name: 'Proofs',
      domain: 'mathematics',
      guidelines: '',
      preset: 'classification',
      min_level: 3,
      redundancy: 3,
      gold_rate: 0.1,
    });
  });

  it('sends the edited template, and keeps the edits of each preset apart', () => {
    const store = createNewProjectStore(PRESETS);
    fill(store);
    store.editTemplate((t) => {
      const q = t.questions[0]!;
      return q.type === 'label' ? { ...t, questions: replaceAt(t.questions, 0, { ...q, options: [...q.options, 'unsure'] }) } : t;
    });
    expect(store.edited.value).toBe(true);
    expect(store.body().preset).toBeUndefined();
    expect(store.body().template?.questions[0]).toMatchObject({ options: ['correct', 'incorrect', 'unsure'] });

    store.choosePreset('sft');
    expect(store.body().preset).toBe('sft');
    store.choosePreset('classification');
    expect(store.edited.value).toBe(true);
    store.resetTemplate();
    expect(store.body().preset).toBe('classification');
  });

  it('opens the project to every expert without a minimum level', () => {
    const store = createNewProjectStore(PRESETS);
    store.setSetting('name', 'Open');
    const body: NewProjectBody = store.body();
    expect(body.domain).toBeNull();
    expect(body).not.toHaveProperty('min_level');
  });

  it('passes numbers that are not numbers on as typed, for the server to name', () => {
    expect(numberOrText(' 2 ')).toBe(2);
    expect(numberOrText('')).toBeUndefined();
    expect(numberOrText('two')).toBe('two');
  });

  it('follows the template with its sample item, keeping what the lab typed', () => {
    const store = createNewProjectStore(PRESETS);
    expect(Object.keys(store.sample.value)).toEqual(['text']);
    store.setSample({ text: 'My proof' });
    store.editTemplate(addField, true);
    expect(store.sample.value).toMatchObject({ text: 'My proof', field: expect.any(String) });
  });

  it("keeps the server's errors and clears the template's on a structural edit", async () => {
    const refusal = new ApiError(400, 'invalid_argument', 'the template has 1 problem', undefined, [
      { field: 'template.questions[0].options', code: 'empty', message: 'options must not be empty' },
      { field: 'name', code: 'required', message: '1..200 characters' },
    ]);
    const store = createNewProjectStore(PRESETS, () => Promise.reject(refusal));
    expect(await store.submit()).toBeNull();
    expect(store.errors.value.fields['template.questions[0].options']).toBe('options must not be empty');
    expect(store.busy.value).toBe(false);
    expect(store.attempts.value).toBe(1);
    store.editTemplate((t) => addQuestion(t, 'text'), true);
    expect(store.errors.value.fields).toEqual({ name: '1..200 characters' });
  });

  it('returns the created project', async () => {
    const created = { id: 'prj_x' } as LabProject;
    const store = createNewProjectStore(PRESETS, () => Promise.resolve(created));
    expect(await store.submit()).toBe(created);
  });
});
