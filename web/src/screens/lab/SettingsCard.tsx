// What a project is set to: who may work on it, how many answers each item gets, gold, leases,
// adaptive redundancy, and its template in brief.
import type { LabProject } from '../../api/lab';
import type { Question } from '../../api/template';
import { KIND_LABELS } from '../../experts/credentials';
import { requirementLines } from '../../lab/requirements';
import { exportFormats } from '../../lab/template-edit';
import { formatTime, LEVEL_NAMES } from '../../ui/format';

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

function questionNote(q: Question): string {
  switch (q.type) {
    case 'label':
    case 'multi_label':
    case 'ranking':
      return q.options.join(', ');
    case 'rating':
      return `${q.min}–${q.max}`;
    case 'rubric':
      return `${q.criteria.length} criteria`;
    case 'preference':
      return q.allow_tie === false ? 'A or B' : 'A, B or tie';
    default:
      return '';
  }
}

export function SettingsCard({ project: p }: { project: LabProject }) {
  const a = p.adaptive;
  return (
    <section class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <dl class="facts">
        {p.description && (
          <>
            <dt>Description</dt>
            <dd>{p.description}</dd>
          </>
        )}
        <dt>Experts</dt>
        <dd>
          {p.domain === null
            ? 'open to every expert'
            : `${p.domain}, level ${p.min_level}${LEVEL_NAMES[p.min_level] ? ` (${LEVEL_NAMES[p.min_level]})` : ''} or above`}
        </dd>
        {p.requirements && (
          <>
            <dt>Also requires</dt>
            <dd>
              {requirementLines(p.requirements, (k) => KIND_LABELS[k as keyof typeof KIND_LABELS] ?? k).join('; ') || 'nothing more'}{' '}
              <a href={`/lab/projects/${encodeURIComponent(p.id)}/requirements`}>Edit</a>
            </dd>
          </>
        )}
        <dt>Answers per item</dt>
        <dd>{p.redundancy}</dd>
        <dt>Gold rate</dt>
        <dd>{Math.round(p.gold_rate * 100)}% of tasks</dd>
        <dt>Lease</dt>
        <dd>{minutes(p.lease_seconds)}</dd>
        <dt>Adaptive</dt>
        <dd>{a ? `stops at confidence ${a.threshold} with at least ${a.min} answers` : 'off'}</dd>
        <dt>Template</dt>
        <dd>
          version {p.template_version}, {p.preset ? `from the ${p.preset} preset` : 'custom'}
        </dd>
        <dt>Exports</dt>
        <dd>{exportFormats(p.template).join(', ')}</dd>
        <dt>Created</dt>
        <dd>{formatTime(p.created_at)}</dd>
      </dl>
      <h3>Fields</h3>
      {p.template.fields.length === 0 ? (
        <p class="muted">None: the expert answers without an item to read.</p>
      ) : (
        <ul class="template-summary">
          {p.template.fields.map((f) => (
            <li key={f.name}>
              <code>{f.name}</code> {f.type}
              {f.title ? ` · ${f.title}` : ''}
              {f.required === false ? ' · optional' : ''}
            </li>
          ))}
        </ul>
      )}
      <h3>Questions</h3>
      <ul class="template-summary">
        {p.template.questions.map((q) => {
          const note = questionNote(q);
          return (
            <li key={q.name}>
              <code>{q.name}</code> {q.type}
              {q.title ? ` · ${q.title}` : ''}
              {note ? ` · ${note}` : ''}
              {q.required === false ? ' · optional' : ''}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
