// The only door from untrusted text (items, answers, guidelines: anything a lab or an expert
// wrote) to HTML. Everything that becomes markup passes DOMPurify here, with links limited to
// http(s) and mailto and opened without access to the app, images limited to http(s) URLs,
// and no forms, frames, scripts or event handlers.
import DOMPurify from 'dompurify';

const SAFE_LINK = /^(https?:|mailto:)/i;
const SAFE_IMAGE = /^https?:/i;

let hooked = false;

function installHooks(): void {
  if (hooked) return;
  hooked = true;
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
    ADD_TAGS: ['semantics', 'annotation'],
    ADD_ATTR: ['encoding'],
    FORBID_TAGS: ['annotation-xml', 'style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['srcset', 'action', 'formaction'],
    ALLOW_DATA_ATTR: false,
  });
}
