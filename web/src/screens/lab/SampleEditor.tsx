// The preview's sample item as JSON, for the lab to try its own content.
import { useEffect, useState } from 'preact/hooks';

import type { NewProjectStore } from '../../lab/new-project.store';
import { parseSample } from '../../lab/sample-item';
import { JsonField } from './JsonField';

export function SampleEditor({ store }: { store: NewProjectStore }) {
  const template = store.template.value;
  const [text, setText] = useState(() => JSON.stringify(store.sample.value, null, 2));
  const [error, setError] = useState<string | null>(null);

  // A new template brings new fields: show the sample as it now is.
  useEffect(() => {
    setText(JSON.stringify(store.sample.value, null, 2));
    setError(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [template]);

  return (
    <details class="json-view">
      <summary>Sample item (JSON)</summary>
      <JsonField
        id="sample-json"
        label="Sample item"
        rows={10}
        value={text}
        error={error}
        hint="The preview follows as you type. This item is for the preview only; nothing is stored."
        onText={(value) => {
          setText(value);
          const parsed = parseSample(value);
          if (parsed.ok) store.setSample(parsed.data);
          setError(parsed.ok ? null : parsed.error);
        }}
      />
    </details>
  );
}
