// What an expert will see with this template, for a sample item: the item's fields and the
// answer forms exactly as the workbench draws them, working but sending nothing.
import type { NewProjectStore } from '../../lab/new-project.store';
import { TaskPreview } from '../../task/TaskPreview';
import { PreviewBoundary } from './PreviewBoundary';
import { SampleEditor } from './SampleEditor';

export function TemplatePreview({ store }: { store: NewProjectStore }) {
  const template = store.template.value;
  return (
    <aside class="preview-pane card" aria-labelledby="preview-title">
      <div class="card-head">
        <h2 id="preview-title">Preview</h2>
        <span class="muted">what an expert sees for a sample item</span>
      </div>
      <div class="preview-frame">
        <PreviewBoundary watch={template}>
          {template.questions.length === 0 ? (
            <p class="muted">Add a question to see the answer form.</p>
          ) : (
            <TaskPreview template={template} data={store.sample.value} />
          )}
        </PreviewBoundary>
      </div>
      <SampleEditor store={store} />
    </aside>
  );
}
