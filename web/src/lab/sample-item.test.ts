import { describe, expect, it } from 'vitest';

import type { Template } from '../api/template';
import { fitsType, parseSample, sampleItem } from './sample-item';

const TEMPLATE: Template = {
  fields: [
    { name: 'prompt', type: 'markdown', title: 'Prompt' },
    { name: 'history', type: 'chat' },
    { name: 'solution', type: 'code', language: 'python' },
    { name: 'note', type: 'text' },
    { name: 'figure', type: 'image_url' },
  ],
  questions: [{ name: 'ok', type: 'label', options: ['yes', 'no'] }],
};

describe('sampleItem', () => {
  it('gives every field a value of its type: math in markdown, two chat turns, code in its language', () => {
    const item = sampleItem(TEMPLATE, {}, 'https://fw.example');
    expect(Object.keys(item)).toEqual(['prompt', 'history', 'solution', 'note', 'figure']);
    expect(item.prompt).toMatch(/^\*\*Prompt\*\*/);
    expect(item.prompt).toContain('$x^2');
    expect(item.history).toEqual([
      { role: 'user', content: expect.any(String) },
      { role: 'assistant', content: expect.any(String) },
    ]);
    expect(item.solution).toContain('def mean');
    expect(item.figure).toBe('https://fw.example/favicon.svg');
    for (const f of TEMPLATE.fields) expect(fitsType(item[f.name], f.type)).toBe(true);
  });

  it("keeps the lab's own values while they fit, and keys that name no field", () => {
    const previous = { prompt: 'My own prompt', history: 'not a chat', meta: { source: 'x' } };
    const item = sampleItem(TEMPLATE, previous, 'https://fw.example');
    expect(item.prompt).toBe('My own prompt');
    expect(Array.isArray(item.history)).toBe(true);
    expect(item.meta).toEqual({ source: 'x' });
  });

  it('follows a renamed field with a fresh value', () => {
    const renamed: Template = { ...TEMPLATE, fields: [{ name: 'question', type: 'text' }] };
    const item = sampleItem(renamed, { prompt: 'old' });
    expect(item.question).toMatch(/^question: /);
    expect(item.prompt).toBe('old');
  });
});

describe('fitsType', () => {
  it('accepts only http(s) URLs for images and lists of turns for chats', () => {
    expect(fitsType('javascript:alert(1)', 'image_url')).toBe(false);
    expect(fitsType('http://x.example/a.png', 'image_url')).toBe(true);
    expect(fitsType([{ role: 'user' }], 'chat')).toBe(false);
    expect(fitsType(3, 'text')).toBe(false);
  });
});

describe('parseSample', () => {
  it('reads an object and explains anything else', () => {
    expect(parseSample('{"prompt": "x"}')).toEqual({ ok: true, data: { prompt: 'x' } });
    expect(parseSample('"x"')).toMatchObject({ ok: false });
    expect(parseSample('{')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
  });
});
