// The one component that puts HTML built from untrusted text on the page: always through
// renderMarkdown, which sanitizes.
import { useMemo } from 'preact/hooks';

import { renderMarkdown } from '../render/markdown';

export function Markdown({ source, class: className }: { source: string; class?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div class={`prose ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
