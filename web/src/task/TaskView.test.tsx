import { render } from 'preact';
import { describe, expect, it } from 'vitest';

import type { Template } from '../api/template';
import { AnswerForm } from './AnswerForm';
import { AnswerView } from './AnswerView';
import { EVERY_TYPE, PREFERENCE } from './fixtures';
import { TaskView } from './TaskView';

function mount(node: preact.ComponentChild): HTMLElement {
  const root = document.createElement('div');
  render(node, root);
  return root;
}

const ALL_FIELDS: Template = {
  fields: [
    { name: 'plain', type: 'text', title: 'Plain' },
    { name: 'prose', type: 'markdown', title: 'Prose' },
    { name: 'source', type: 'code', language: 'python' },
    { name: 'chat', type: 'chat', title: 'Chat' },
    { name: 'picture', type: 'image_url', title: 'Picture' },
    { name: 'other', type: 'image_url', title: 'Other' },
  ],
  questions: [{ name: 'ok', type: 'label', options: ['yes', 'no'] }],
};

describe('TaskView', () => {
  it('renders each field type its own way', () => {
    const root = mount(
      <TaskView
        template={ALL_FIELDS}
        data={{
          plain: '*not* markdown <b>x</b>',
          prose: 'Energy $E = mc^2$',
          source: 'def f():\n    return 1',
          chat: [{ role: 'user', content: 'Hi $x$' }, { role: 'assistant', content: '**Hello**' }],
          picture: 'https://example.org/p.png',
          other: 'data:image/png;base64,AAAA',
        }}
      />,
    );
    const plain = root.querySelector('[aria-label="Plain"] .field-text')!;
    expect(plain.textContent).toBe('*not* markdown <b>x</b>');
    expect(plain.querySelector('b')).toBeNull();
    expect(root.querySelector('[aria-label="Prose"] .katex')).not.toBeNull();
    expect(root.querySelector('[aria-label="source"] .hljs-keyword')?.textContent).toBe('def');
    const turns = root.querySelectorAll('.chat .turn');
    expect(Array.from(turns, (t) => t.querySelector('.turn-role')!.textContent)).toEqual(['User', 'Assistant']);
    expect(turns[1]!.querySelector('strong')?.textContent).toBe('Hello');
    expect(root.querySelector('[aria-label="Picture"] img')?.getAttribute('src')).toBe('https://example.org/p.png');
    expect(root.querySelector('[aria-label="Other"] img')).toBeNull();
    expect(root.querySelector('[aria-label="Other"]')!.textContent).toContain('only http(s) addresses');
  });

  it('labels a preference pair A and B', () => {
    const root = mount(<TaskView template={PREFERENCE} data={{ prompt: 'p', response_a: 'a', response_b: 'b' }} />);
    const pair = root.querySelector('.pair')!;
    expect(Array.from(pair.querySelectorAll('h3'), (h) => h.textContent)).toEqual(['Response A', 'Response B']);
  });
});

describe('AnswerForm and AnswerView', () => {
  it('shows each question with its error next to it', () => {
    const root = mount(<AnswerForm template={EVERY_TYPE} answer={{}} errors={{ n: 'Enter a whole number.' }} onChange={() => undefined} />);
    const n = root.querySelector('[data-question="n"]')!;
    expect(n.querySelector('.field-error')?.textContent).toBe('Enter a whole number.');
    expect(n.querySelector('input')!.getAttribute('aria-describedby')).toBeNull();
    expect(n.querySelector('[aria-describedby="q-n-error"]')).not.toBeNull();
    expect(root.querySelectorAll('.ranking li')).toHaveLength(3);
  });

  it('reads an answer back in words, text rendered through the sanitizer', () => {
    const root = mount(
      <AnswerView
        questions={[...PREFERENCE.questions, ...EVERY_TYPE.questions]}
        answer={{ preference: { choice: 'A', strength: 2 }, rationale: 'See $x$ <img src=x onerror=alert(1)>', order: ['z', 'x', 'y'], grade: { right: true, depth: 1 } }}
      />,
    );
    expect(root.textContent).toContain('A is better (strength 2 of 3)');
    expect(root.querySelector('.katex')).not.toBeNull();
    expect(root.querySelector('img')?.getAttribute('onerror')).toBeFalsy();
    expect(Array.from(root.querySelectorAll('ol li'), (li) => li.textContent)).toEqual(['z', 'x', 'y']);
    expect(root.textContent).toContain('Pass');
    expect(root.textContent).toContain('1 of 3');
    expect(root.textContent).toContain('not answered');
  });
});

describe('options with math', () => {
  it('typesets a math option and names its control by the formula', () => {
    const t: Template = { fields: [], questions: [{ name: 'q', type: 'label', options: ['$\\sqrt{2}$', 'plain'] }] };
    const root = mount(<AnswerForm template={t} answer={{}} errors={{}} onChange={() => undefined} />);
    const radios = root.querySelectorAll('input[type=radio]');
    expect(radios[0]!.getAttribute('aria-label')).toBe('\\sqrt{2}');
    expect(radios[1]!.hasAttribute('aria-label')).toBe(false);
    expect(root.querySelector('.choice .katex')).not.toBeNull();
    expect(root.textContent).toContain('plain');
  });
});
