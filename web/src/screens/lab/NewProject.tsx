// A new project: its settings and guidelines, a preset to start from, the template editor, and
// beside it a live preview of what an expert will see. The server checks everything when the
// project is created; its errors appear beside the control at fault and in a list at the top.
import { useMemo } from 'preact/hooks';

import { type Domain, labApi, type Level, type Preset } from '../../api/lab';
import { navigate } from '../../app/router';
import { createNewProjectStore } from '../../lab/new-project.store';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { ErrorSummary } from './ErrorSummary';
import { GuidelinesEditor } from './GuidelinesEditor';
import { PresetPicker } from './PresetPicker';
import { ProjectSettingsFields } from './ProjectSettingsFields';
import { projectHref } from './ProjectFrame';
import { TemplateEditor } from './template/TemplateEditor';
import { TemplatePreview } from './TemplatePreview';
import './lab.css';

async function load(signal: AbortSignal) {
  const [presets, domains] = await Promise.all([labApi.presets(signal), labApi.domains(signal)]);
  return { presets: presets.presets, domains: domains.domains, levels: domains.levels };
}

export function NewProject() {
  const [data, reload] = useResource(load, []);
  return (
    <section class="page wide">
      <p class="crumbs">
        <a href="/lab/projects">Projects</a>
      </p>
      <h1 id="new-project-title">New project</h1>
      <Loaded resource={data} onRetry={reload}>
        {(d) => <NewProjectForm {...d} />}
      </Loaded>
    </section>
  );
}

function NewProjectForm({ presets, domains, levels }: { presets: Preset[]; domains: Domain[]; levels: Level[] }) {
  const store = useMemo(() => createNewProjectStore(presets), [presets]);

  async function submit(e: Event) {
    e.preventDefault();
    const created = await store.submit();
    if (created) navigate(projectHref(created.id));
  }

  return (
    <div class="new-project">
      <form id="new-project" onSubmit={submit} noValidate aria-labelledby="new-project-title">
        <ErrorSummary store={store} />
        <ProjectSettingsFields store={store} domains={domains} levels={levels} />
        <PresetPicker store={store} />
        <TemplateEditor store={store} />
        <GuidelinesEditor store={store} />
        <div class="create-actions">
          <button type="submit" class="button primary" disabled={store.busy.value}>
            {store.busy.value ? 'Creating…' : 'Create project'}
          </button>
          <a href="/lab/projects">Cancel</a>
        </div>
      </form>
      <TemplatePreview store={store} />
    </div>
  );
}
