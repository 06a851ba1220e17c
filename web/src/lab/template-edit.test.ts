import { describe, expect, it } from 'vitest';

import type { Template } from '../api/template';
import {
  addField,
  addQuestion,
  changeQuestionType,
  exportFormats,
  moveQuestion,
  moveTo,
  parseTemplateJson,
  questionOfType,
  removeField,
  removeQuestion,
  sameTemplate,
  setField,
  setPreference,
  setQuestion,
  setSft,
  suggestPreference,
  suggestSft,
  uniqueName,
} from './template-edit';

const SFT: Template = {
  fields: [
    { name: 'prompt', type: 'markdown', title: 'Prompt', required: true },
    { name: 'system', type: 'text', required: false },
  ],
  questions: [{ name: 'response', type: 'text', required: true, max_length: 20000 }],
  export: { sft: { prompt_field: 'prompt', response_question: 'response', system_field: 'system' } },
};

const PREFERENCE: Template = {
  fields: [
    { name: 'prompt', type: 'markdown' },
    { name: 'response_a', type: 'markdown' },
    { name: 'response_b', type: 'markdown' },
  ],
  questions: [{ name: 'preference', type: 'preference', allow_tie: true, strength_max: 3 }],
  export: { preference: { prompt_field: 'prompt', a_field: 'response_a', b_field: 'response_b', question: 'preference' } },
};

describe('names and lists', () => {
  it('finds the first free name', () => {
    expect(uniqueName('label', [])).toBe('label');
    expect(uniqueName('label', ['label', 'label_2'])).toBe('label_3');
  });
  it('moves an element within the list, clamped to its ends', () => {
    expect(moveTo(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveTo(['a', 'b', 'c'], 2, -1)).toEqual(['c', 'a', 'b']);
    expect(moveTo(['a', 'b'], 1, 5)).toEqual(['a', 'b']);
  });
});

describe('fields', () => {
  it('adds a required text field with a free name', () => {
    const t = addField(addField(SFT));
    expect(t.fields.slice(2)).toEqual([
      { name: 'field', type: 'text', required: true },
      { name: 'field_2', type: 'text', required: true },
    ]);
  });
  it('carries a rename into the export mapping', () => {
    const t = setField(SFT, 0, { ...SFT.fields[0]!, name: 'question' });
    expect(t.export?.sft).toEqual({ prompt_field: 'question', response_question: 'response', system_field: 'system' });
  });
  it('drops the language of a field that is no longer code', () => {
    const code = setField(SFT, 1, { name: 'system', type: 'code', language: 'python' });
    expect(code.fields[1]).toEqual({ name: 'system', type: 'code', language: 'python' });
    expect(setField(code, 1, { ...code.fields[1]!, type: 'text' }).fields[1]).toEqual({ name: 'system', type: 'text' });
  });
  it('leaves an optional slot out and empties a required one when its field goes', () => {
    expect(removeField(SFT, 1).export?.sft).toEqual({ prompt_field: 'prompt', response_question: 'response' });
    expect(removeField(SFT, 0).export?.sft).toEqual({ prompt_field: '', response_question: 'response', system_field: 'system' });
  });
});

describe('questions', () => {
  it('adds a question of a type with working defaults', () => {
    const t = addQuestion(addQuestion(SFT, 'label'), 'label');
    expect(t.questions.slice(1)).toEqual([
      { name: 'label', type: 'label', required: true, options: ['yes', 'no'] },
      { name: 'label_2', type: 'label', required: true, options: ['yes', 'no'] },
    ]);
  });
  it('keeps name, title, description, required and options across a change of type', () => {
    const label = { name: 'verdict', type: 'label', title: 'Verdict', description: 'Pick one', required: false, options: ['a', 'b', 'c'] } as const;
    expect(questionOfType('multi_label', 'verdict', { ...label, options: [...label.options] })).toEqual({
      name: 'verdict',
      type: 'multi_label',
      title: 'Verdict',
      description: 'Pick one',
      required: false,
      options: ['a', 'b', 'c'],
    });
    expect(questionOfType('rating', 'verdict', { ...label, options: [...label.options] })).toEqual({
      name: 'verdict',
      type: 'rating',
      title: 'Verdict',
      description: 'Pick one',
      required: false,
      min: 1,
      max: 5,
    });
    expect(questionOfType('ranking', 'r', { name: 'r', type: 'label', options: ['only'] })).toMatchObject({ options: ['only', 'other'] });
  });
  it('empties the export slot of a question that changes type or goes, and renames it with the question', () => {
    expect(changeQuestionType(SFT, 0, 'label').export?.sft?.response_question).toBe('');
    expect(removeQuestion(PREFERENCE, 0).export?.preference?.question).toBe('');
    expect(setQuestion(PREFERENCE, 0, { ...PREFERENCE.questions[0]!, name: 'verdict' }).export?.preference?.question).toBe('verdict');
  });
  it('reorders questions', () => {
    const t = addQuestion(SFT, 'number');
    expect(moveQuestion(t, 1, 0).questions.map((q) => q.name)).toEqual(['number', 'response']);
  });
});

describe('export mapping', () => {
  it('sets and removes a mapping, and leaves no empty export object behind', () => {
    const none = setSft(SFT, null);
    expect(none.export).toBeUndefined();
    expect(setSft(none, suggestSft(none)).export).toEqual({ sft: { prompt_field: 'prompt', response_question: 'response' } });
    expect(setPreference(PREFERENCE, null)).not.toHaveProperty('export');
  });
  it('suggests a preference mapping from the fields ending in a and b', () => {
    const t: Template = { ...PREFERENCE, export: undefined };
    expect(suggestPreference(t)).toEqual(PREFERENCE.export?.preference);
  });
  it('suggests a prompt from a written question when there is no field', () => {
    const t: Template = {
      fields: [],
      questions: [
        { name: 'question', type: 'text' },
        { name: 'answer', type: 'text' },
      ],
    };
    expect(suggestSft(t)).toEqual({ prompt_question: 'question', response_question: 'answer' });
  });
  it('offers the formats the mapping allows, raw always', () => {
    expect(exportFormats(SFT)).toEqual(['raw', 'sft']);
    expect(exportFormats(PREFERENCE)).toEqual(['raw', 'preference']);
    expect(exportFormats({})).toEqual(['raw']);
  });
});

describe('templates as JSON', () => {
  it('compares templates whatever the order of keys', () => {
    const reordered = JSON.parse('{"questions":[{"max_length":20000,"required":true,"type":"text","name":"response"}],"fields":' + JSON.stringify(SFT.fields) + ',"export":' + JSON.stringify(SFT.export) + '}');
    expect(sameTemplate(SFT, reordered)).toBe(true);
    expect(sameTemplate(SFT, addField(SFT))).toBe(false);
  });
  it('reads a pasted template and says what is wrong with one that is not', () => {
    expect(parseTemplateJson(JSON.stringify(SFT))).toEqual({ ok: true, template: SFT });
    expect(parseTemplateJson('{"questions":[{"name":"q","type":"text"}]}')).toEqual({
      ok: true,
      template: { fields: [], questions: [{ name: 'q', type: 'text' }] },
    });
    expect(parseTemplateJson('{"fields": [')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    expect(parseTemplateJson('[]')).toMatchObject({ ok: false });
    expect(parseTemplateJson('{"questions": {}}')).toEqual({ ok: false, error: '"questions" must be a list.' });
    expect(parseTemplateJson('{"questions": [{"name": "q"}]}')).toEqual({ ok: false, error: 'Question 1 needs a "name" and a "type".' });
  });
});
