// The only door from untrusted text (items, answers, guidelines: anything a lab or an expert
// wrote) to HTML. Everything that becomes markup passes DOMPurify here, with links limited to
// http(s) and mailto and opened without access to the app, images limited to http(s) URLs,
// and no forms, frames, scripts or event handlers.
import DOMPurify from 'dompurify';

const SAFE_LINK = /^(https?:|mailto:)/i;
const SAFE_IMAGE = /^https?:/i;
const SVG_NS = 'http://www.w3.org/2000/svg';
const KATEX_SVG = new Set(['svg', 'path', 'line']);

let hooked = false;

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('uponSanitizeElement', (node, data) => {
    // SVG only inside KaTeX's markup, and of it only what KaTeX draws with: inside an <svg>,
    // names HTML also has (<a>, <title>, <font>) would pass the tag list.
    if (!(node instanceof Element) || node.namespaceURI !== SVG_NS) return;
    if (!KATEX_SVG.has(data.tagName) || (data.tagName === 'svg' && !node.parentElement?.closest('.katex'))) node.remove();
  });
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href');
      if (href !== null && !SAFE_LINK.test(href.trim())) node.removeAttribute('href');
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    } else if (node.tagName === 'IMG') {
      const src = node.getAttribute('src');
      if (src === null || !SAFE_IMAGE.test(src.trim())) node.removeAttribute('src');
      node.setAttribute('referrerpolicy', 'no-referrer');
      node.setAttribute('loading', 'lazy');
    }
  });
}

/** `html` with everything that could run script or leave the page removed. */
export function sanitize(html: string): string {
  installHooks();
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true, mathMl: true, svg: false },
    // KaTeX's MathML for screen readers: the formula and its TeX source. annotation-xml, which
    // can carry HTML, stays out.
    ADD_TAGS: ['semantics', 'annotation', 'svg', 'path', 'line'],
    ADD_ATTR: ['encoding', 'viewBox', 'preserveAspectRatio', 'd', 'x1', 'y1', 'x2', 'y2', 'stroke-width'],
    FORBID_TAGS: ['annotation-xml', 'style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['srcset', 'action', 'formaction'],
    ALLOW_DATA_ATTR: false,
  });
}
