// Downloads of the project's answers, in each format its template's export mapping allows.
import { labApi, type LabProject } from '../../api/lab';
import { exportFormats } from '../../lab/template-edit';

const WHAT: Record<string, string> = {
  raw: 'every submission with its item, expert pseudonym, times and the aggregated answer',
  sft: 'chat messages for supervised fine-tuning (gold items left out)',
  preference: 'prompt, chosen and rejected, with the aggregated verdict (ties left out)',
};

export function ExportCard({ project }: { project: LabProject }) {
  return (
    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p class="muted">JSON Lines, one record a line, streamed as it is read.</p>
      <ul class="export-links">
        {exportFormats(project.template).map((format) => (
          <li key={format}>
            <a class="button" href={labApi.exportUrl(project.id, format)} download>
              Download {format} JSONL
            </a>
            <span class="muted">{WHAT[format]}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
