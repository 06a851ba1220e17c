// One field of an item, as the expert sees it: each type rendered its own way, every piece of
// text the lab wrote going through the sanitizing renderers (render/).
import { useMemo } from 'preact/hooks';

import type { ChatTurn, TemplateField } from '../api/template';
import { renderCode } from '../render/markdown';
import { Markdown } from '../ui/Markdown';

const SAFE_IMAGE = /^https?:\/\//i;

function Code({ code, language }: { code: string; language: string }) {
  const html = useMemo(() => renderCode(code, language), [code, language]);
  return <div class="field-code" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** Turns of a chat field; anything that is not a well-formed turn is shown as text. */
export function chatTurns(value: unknown): ChatTurn[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((t: unknown) => {
    if (typeof t !== 'object' || t === null) return [];
    const { role, content } = t as Record<string, unknown>;
    if ((role === 'system' || role === 'user' || role === 'assistant') && typeof content === 'string') {
      return [{ role, content }];
    }
    return [];
  });
}

const ROLE_NAMES: Record<ChatTurn['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant' };

function Chat({ turns }: { turns: ChatTurn[] }) {
  return (
    <ol class="chat">
      {turns.map((t, i) => (
        <li key={i} class={`turn turn-${t.role}`}>
          <span class="turn-role">{ROLE_NAMES[t.role]}</span>
          <Markdown source={t.content} />
        </li>
      ))}
    </ol>
  );
}

function Image({ url, alt }: { url: string; alt: string }) {
  if (!SAFE_IMAGE.test(url.trim())) {
    return <p class="muted">This image is not shown: only http(s) addresses are.</p>;
  }
  return (
    <a href={url} target="_blank" rel="noopener noreferrer nofollow">
      <img class="field-image" src={url} alt={alt} referrerpolicy="no-referrer" loading="lazy" />
    </a>
  );
}

/** The value of `field` in an item's data. */
export function FieldValue({ field, value }: { field: TemplateField; value: unknown }) {
  if (value === undefined || value === null || value === '') {
    return <p class="muted">(empty)</p>;
  }
  switch (field.type) {
    case 'markdown':
      return <Markdown source={String(value)} />;
    case 'code':
      return <Code code={String(value)} language={field.language ?? ''} />;
    case 'chat':
      return <Chat turns={chatTurns(value)} />;
    case 'image_url':
      return <Image url={String(value)} alt={field.title || field.name} />;
    case 'text':
      return <p class="field-text">{String(value)}</p>;
  }
}

export function FieldBlock({ field, value, heading }: { field: TemplateField; value: unknown; heading?: string }) {
  return (
    <section class={`item-field item-field-${field.type}`} aria-label={heading ?? (field.title || field.name)}>
      <h3 class="item-field-title">{heading ?? (field.title || field.name)}</h3>
      <FieldValue field={field} value={value} />
    </section>
  );
}
