import { describe, expect, it } from 'vitest';

import { renderCode, renderMarkdown } from './markdown';
import { sanitize } from './sanitize';

function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown', () => {
  it('renders inline and display math with KaTeX', () => {
    const html = dom(renderMarkdown('Energy $E = mc^2$ and\n\n$$\\int_0^1 x\\,dx = \\tfrac12$$\n'));
    expect(html.querySelectorAll('.katex').length).toBe(2);
    expect(html.querySelector('.math-display .katex-display')).not.toBeNull();
    expect(html.querySelector('annotation')?.textContent).toBe('E = mc^2');
  });

  it('leaves dollar amounts alone', () => {
    const html = dom(renderMarkdown('It costs $5 and $6 today.'));
    expect(html.querySelector('.katex')).toBeNull();
    expect(html.textContent).toContain('$5 and $6');
  });

  it('renders \\( \\) and \\[ \\] too', () => {
    const html = dom(renderMarkdown('Inline \\(a^2\\) here.\n\n\\[b^2\\]\n'));
    expect(html.querySelectorAll('.katex').length).toBe(2);
  });

  it('shows a malformed formula as an error instead of throwing', () => {
    const html = dom(renderMarkdown('Broken $\\frac{1}{$ formula'));
    expect(html.textContent).toContain('Broken');
  });

  it('highlights fenced code by language and escapes unknown ones', () => {
    const html = dom(renderMarkdown('```python\ndef f(x):\n    return x\n```\n'));
    expect(html.querySelector('pre code .hljs-keyword')?.textContent).toBe('def');
    const plain = dom(renderCode('<b>x</b>', 'nolang'));
    expect(plain.querySelector('b')).toBeNull();
    expect(plain.textContent).toBe('<b>x</b>');
  });

  it('renders GFM tables and lists', () => {
    const html = dom(renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n'));
    expect(html.querySelectorAll('td').length).toBe(2);
    expect(html.querySelectorAll('li').length).toBe(2);
  });
});

describe('sanitize', () => {
  const attacks = [
    '<script>window.__pwned = 1</script>',
    '<img src=x onerror="window.__pwned=1">',
    '<a href="javascript:window.__pwned=1">click</a>',
    '<svg><g onload="window.__pwned=1"></g></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="  JaVaScRiPt:alert(1)">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<form action="https://evil.example"><input name=a></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div onclick="alert(1)" style="color:red">x</div>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><a href="javascript:alert(1)"><path d="M0 0"/></a></svg>',
    '<svg><use href="data:image/svg+xml,%3Csvg onload=alert(1)%3E"/></svg>',
    '<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>',
    '<svg><animate onbegin="alert(1)" attributeName="x" dur="1s"/><set attributeName="href" to="javascript:alert(1)"/></svg>',
    '<svg><script>alert(1)</script><style>*{}</style><image href="javascript:alert(1)"/></svg>',
  ];

  it.each(attacks)('removes what could run script: %s', (attack) => {
    for (const html of [sanitize(attack), renderMarkdown(attack), renderMarkdown(`text ${attack} text`)]) {
      const root = dom(html);
      expect(root.querySelector('script, iframe, form, input, style, foreignObject, use, image, animate, set, text')).toBeNull();
      expect(root.querySelector('svg')).toBeNull();
      for (const el of Array.from(root.querySelectorAll('*'))) {
        for (const attr of Array.from(el.attributes)) {
          expect(attr.name.startsWith('on')).toBe(false);
          expect(attr.value.replace(/\s/g, '').toLowerCase()).not.toContain('javascript:');
        }
      }
      for (const img of Array.from(root.querySelectorAll('img'))) {
        expect(img.getAttribute('src') ?? '').not.toMatch(/^data:/);
      }
    }
  });

  it('keeps http(s) links and images, opened without access to the app', () => {
    const root = dom(renderMarkdown('[docs](https://example.org/a) ![plot](https://example.org/p.png)'));
    const a = root.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.org/a');
    expect(a.getAttribute('rel')).toContain('noopener');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(root.querySelector('img')!.getAttribute('src')).toBe('https://example.org/p.png');
  });

  it('keeps the SVG KaTeX draws a square root with', () => {
    const root = dom(renderMarkdown('$T = 2\\pi\\sqrt{L/g}$'));
    const svg = root.querySelector('.katex svg');
    expect(svg).not.toBeNull();
    expect(svg!.getAttribute('viewBox')).toBeTruthy();
    expect(svg!.querySelector('path')!.getAttribute('d')).toBeTruthy();
  });

  it('drops math commands that would make links', () => {
    const root = dom(renderMarkdown('$\\href{javascript:alert(1)}{x}$ and $\\url{javascript:alert(1)}$'));
    expect(root.querySelector('a')).toBeNull();
  });
});
