import { render } from 'preact';
import { describe, expect, it } from 'vitest';

import { ApiError } from '../../../api/client';
import type { Preset } from '../../../api/lab';
import type { QuestionType } from '../../../api/template';
import { createNewProjectStore } from '../../../lab/new-project.store';
import { addQuestion, QUESTION_TYPES } from '../../../lab/template-edit';
import { TemplateEditor } from './TemplateEditor';

const CLASSIFICATION: Preset = {
  name: 'classification',
  title: 'Verification',
  template: {
    fields: [{ name: 'text', type: 'markdown', required: true }],
    questions: [
      { name: 'label', type: 'label', required: true, options: ['correct', 'incorrect'] },
      { name: 'confidence', type: 'rating', required: false, min: 1, max: 5 },
    ],
  },
};

const settle = () => new Promise((r) => setTimeout(r, 0));

function mount(refusal?: ApiError) {
  const store = createNewProjectStore([CLASSIFICATION], () => Promise.reject(refusal));
  const root = document.createElement('div');
  document.body.append(root);
  render(<TemplateEditor store={store} />, root);
  return { store, root };
}

function type(input: Element | null, value: string) {
  const el = input as HTMLInputElement;
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** The accessible names of the controls in `root`: their <label>, or aria-label. */
function labels(root: Element): string[] {
  return [...root.querySelectorAll('input, select, textarea')].map((el) => {
    const label = el.id ? root.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    return (label ?? el.getAttribute('aria-label') ?? '').trim();
  });
}

describe('TemplateEditor', () => {
  it('adds a label option from the box under the options', async () => {
    const { store, root } = mount();
    const box = root.querySelector('#template-questions-0-options-new');
    type(box, 'unsure');
    await settle();
    const add = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Add option')!;
    add.click();
    await settle();
    expect(store.template.value.questions[0]).toMatchObject({ options: ['correct', 'incorrect', 'unsure'] });
    expect((root.querySelector('#template-questions-0-options-2') as HTMLInputElement).value).toBe('unsure');
    expect(store.edited.value).toBe(true);
  });

  it('gives every question type its settings, each control with a name', async () => {
    const { store, root } = mount();
    for (const type of Object.keys(QUESTION_TYPES) as QuestionType[]) store.editTemplate((t) => addQuestion(t, type), true);
    await settle();
    expect(labels(root).filter((l) => l === '')).toEqual([]);
    const text = root.textContent ?? '';
    for (const setting of ['Options of multi_label', 'At least', 'At most', 'Lowest', 'Highest', 'Allow a tie', 'Strength up to', 'Criteria of rubric', 'Shortest', 'Longest', 'Whole numbers only']) {
      expect(text).toContain(setting);
    }
    // A criterion worth points asks for its most.
    const kind = root.querySelector('#template-questions-7-criteria-0-kind') as HTMLSelectElement;
    kind.value = 'points';
    kind.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(root.querySelector('label[for="template-questions-7-criteria-0-max_points"]')?.textContent).toBe('Max points');
    expect(store.template.value.questions[7]).toMatchObject({ criteria: [{ name: 'correct', kind: 'points', max_points: 3 }] });
  });

  it("shows the server's error beside the control it names", async () => {
    const refusal = new ApiError(400, 'invalid_argument', 'the template has 1 problem', undefined, [
      { field: 'template.questions[1].max', code: 'invalid_range', message: 'max must be greater than min' },
    ]);
    const { store, root } = mount(refusal);
    await store.submit();
    await settle();
    const error = root.querySelector('#template-questions-1-max-error');
    expect(error?.textContent).toBe('max must be greater than min');
    expect(root.querySelector('#template-questions-1-max')?.getAttribute('aria-describedby')).toBe('template-questions-1-max-error');
  });

  it('renames the export slot with its field', async () => {
    const { store, root } = mount();
    store.editTemplate((t) => ({ ...t, questions: [...t.questions, { name: 'answer', type: 'text' }] }));
    await settle();
    (root.querySelector('#template-export-sft-enabled') as HTMLInputElement).click();
    await settle();
    type(root.querySelector('#template-fields-0-name'), 'prompt');
    await settle();
    expect(store.template.value.export?.sft).toEqual({ prompt_field: 'prompt', response_question: 'answer' });
    expect((root.querySelector('#template-export-sft-prompt_field') as HTMLSelectElement).value).toBe('field:prompt');
  });
});
