import { describe, expect, it } from 'vitest';

import type { Template } from '../api/template';
import { controlId, describePath, nearestControl, pathPrefixes } from './error-paths';

const T: Template = {
  fields: [{ name: 'prompt', type: 'markdown' }],
  questions: [
    { name: 'verdict', type: 'label', options: ['a'] },
    { name: 'grade', type: 'rubric', criteria: [{ name: 'c', kind: 'points' }] },
  ],
};

describe('error paths', () => {
  it("turns the server's paths into control ids", () => {
    expect(controlId('name')).toBe('name');
    expect(controlId('template.questions[1].options')).toBe('template-questions-1-options');
    expect(controlId('template.questions[1].criteria[0].max_points')).toBe('template-questions-1-criteria-0-max_points');
    expect(controlId('template.export.sft.prompt_field')).toBe('template-export-sft-prompt_field');
  });

  it('finds the nearest control that exists', () => {
    expect(pathPrefixes('template.questions[1].options[2]')).toEqual([
      'template.questions[1].options[2]',
      'template.questions[1].options',
      'template.questions[1]',
      'template.questions',
      'template',
    ]);
    const ids = new Set(['template-questions-1-options', 'template']);
    expect(nearestControl('template.questions[1].options[2]', (id) => ids.has(id))).toBe('template-questions-1-options');
    expect(nearestControl('template.fields[3].type', (id) => ids.has(id))).toBe('template');
    expect(nearestControl('domain', (id) => ids.has(id))).toBeNull();
  });

  it('names the place of an error in the words of the form', () => {
    expect(describePath('min_level', T)).toBe('Minimum level');
    expect(describePath('template.fields[0].name', T)).toBe('Field 1 “prompt”: name');
    expect(describePath('template.questions[1]', T)).toBe('Question 2 “grade”');
    expect(describePath('template.questions[1].criteria[0].max_points', T)).toBe('Question 2 “grade”, criterion 1: max_points');
    expect(describePath('template.questions[7].options', T)).toBe('Question 8: options');
    expect(describePath('template.export.sft.response_question', T)).toBe('SFT export: response_question');
    expect(describePath('something.else', T)).toBe('something.else');
  });
});
