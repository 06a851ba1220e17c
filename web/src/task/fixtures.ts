// Templates the task tests share: the presets' shapes, trimmed.
import type { Template } from '../api/template';

export const PREFERENCE: Template = {
  fields: [
    { name: 'prompt', type: 'markdown', title: 'Prompt' },
    { name: 'response_a', type: 'markdown', title: 'Response A' },
    { name: 'response_b', type: 'markdown', title: 'Response B' },
  ],
  questions: [
    { name: 'preference', type: 'preference', title: 'Which is better?', allow_tie: true, strength_max: 3 },
    { name: 'rationale', type: 'text', title: 'Why?', required: false },
  ],
  export: { preference: { prompt_field: 'prompt', a_field: 'response_a', b_field: 'response_b', question: 'preference' } },
};

export const CLASSIFY: Template = {
  fields: [{ name: 'text', type: 'markdown' }],
  questions: [
    { name: 'label', type: 'label', options: ['correct', 'incorrect', 'unsure'] },
    { name: 'confidence', type: 'rating', min: 1, max: 5, required: false },
    { name: 'tags', type: 'multi_label', options: ['algebra', 'analysis', 'geometry'], max_selected: 2, required: false },
  ],
};

export const EVERY_TYPE: Template = {
  fields: [{ name: 'prompt', type: 'text' }],
  questions: [
    { name: 'order', type: 'ranking', options: ['x', 'y', 'z'] },
    { name: 'grade', type: 'rubric', criteria: [{ name: 'right', title: 'Right', kind: 'pass_fail' }, { name: 'depth', kind: 'points', max_points: 3 }] },
    { name: 'answer', type: 'text', min_length: 3, max_length: 10 },
    { name: 'n', type: 'number', min: 0, max: 10, integer: true },
  ],
};
