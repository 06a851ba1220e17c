// A project's overview: progress, import and export, its settings and guidelines.
import type { LabProject } from '../../api/lab';
import { Markdown } from '../../ui/Markdown';
import { ExportCard } from './ExportCard';
import { ProgressCard } from './ProgressCard';
import { SettingsCard } from './SettingsCard';
import { UploadCard } from './UploadCard';

export function ProjectOverview({ project, reload }: { project: LabProject; reload: () => void }) {
  return (
    <div class="overview">
      <ProgressCard project={project} />
      <div class="column">
        <UploadCard project={project} onImported={reload} />
        <ExportCard project={project} />
      </div>
      <div class="column">
        <SettingsCard project={project} />
        <section class="card" aria-labelledby="guidelines-title">
          <h2 id="guidelines-title">Guidelines</h2>
          {project.guidelines ? (
            <Markdown source={project.guidelines} class="guidelines" />
          ) : (
            <p class="muted">None: experts see the questions alone.</p>
          )}
        </section>
      </div>
    </div>
  );
}
