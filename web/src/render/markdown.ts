// Markdown with LaTeX math (inline $…$, display $$…$$ and \( \) / \[ \]) and highlighted code,
// rendered to sanitized HTML. KaTeX runs without `trust` (no \href, \url or \includegraphics
// that could carry a javascript: link) and with its error rendering, so a malformed formula
// shows in red instead of breaking the page.
import katex from 'katex';
import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';

import { highlight } from './highlight';
import { sanitize } from './sanitize';

export function renderMath(tex: string, display: boolean): string {
  return katex.renderToString(tex, {
    displayMode: display,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxSize: 50,
    maxExpand: 500,
    output: 'htmlAndMathml',
  });
}

interface MathToken extends Tokens.Generic {
  text: string;
  display: boolean;
}

// $$…$$ or \[…\] on their own lines.
const mathBlock: TokenizerAndRendererExtension = {
  name: 'mathBlock',
  level: 'block',
  start: (src) => src.match(/\$\$|\\\[/)?.index,
  tokenizer(src) {
    const m = /^(?:\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\])[ \t]*(?:\n|$)/.exec(src);
    if (!m) return undefined;
    return { type: 'mathBlock', raw: m[0], text: (m[1] ?? m[2] ?? '').trim(), display: true };
  },
  renderer: (t) => `<div class="math-display">${renderMath((t as MathToken).text, true)}</div>\n`,
};

// $…$ (not "$5 and $6": the opening $ is followed and the closing one preceded by a non-space,
// and no digit follows the closing one), $$…$$ inside a line, and \(…\).
const mathInline: TokenizerAndRendererExtension = {
  name: 'mathInline',
  level: 'inline',
  start: (src) => src.match(/\$|\\\(/)?.index,
  tokenizer(src) {
    let m = /^\$\$((?:\\\$|[^$])+?)\$\$/.exec(src);
    if (m) return { type: 'mathInline', raw: m[0], text: m[1]!.trim(), display: true };
    m = /^\\\(([\s\S]+?)\\\)/.exec(src);
    if (m) return { type: 'mathInline', raw: m[0], text: m[1]!, display: false };
    m = /^\$(?=\S)((?:\\\$|[^$\n])*?\S)\$(?!\d)/.exec(src);
    if (m) return { type: 'mathInline', raw: m[0], text: m[1]!, display: false };
    return undefined;
  },
  renderer: (t) => renderMath((t as MathToken).text, (t as MathToken).display),
};

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  extensions: [mathBlock, mathInline],
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      const language = (lang ?? '').trim().split(/\s+/)[0] ?? '';
      return `<pre class="code"><code class="hljs">${highlight(text, language)}</code></pre>\n`;
    },
  },
});

/** Sanitized HTML for markdown with math and code. */
export function renderMarkdown(source: string): string {
  return sanitize(marked.parse(source, { async: false }));
}

/** Sanitized HTML for one code block in `language` ("" guesses nothing: plain text). */
export function renderCode(code: string, language: string): string {
  return sanitize(`<pre class="code"><code class="hljs">${highlight(code, language)}</code></pre>`);
}
