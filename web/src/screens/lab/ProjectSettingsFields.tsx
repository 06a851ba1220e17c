// The new project's settings: name and note, who may work on it, answers per item, gold rate.
import type { Domain, Level } from '../../api/lab';
import { controlId } from '../../lab/error-paths';
import type { NewProjectStore, ProjectSettings } from '../../lab/new-project.store';
import { Field } from '../../ui/Field';
import { Options } from './Options';

export function ProjectSettingsFields({ store, domains, levels }: { store: NewProjectStore; domains: Domain[]; levels: Level[] }) {
  const s = store.settings.value;
  const errors = store.errors.value.fields;
  const set =
    <K extends keyof ProjectSettings>(key: K) =>
    (e: Event) =>
      store.setSetting(key, (e.currentTarget as HTMLInputElement).value as ProjectSettings[K]);
  const described = (path: string) => (errors[path] ? `${controlId(path)}-error` : undefined);
  return (
    <section class="card form-grid" aria-labelledby="settings-form-title">
      <h2 id="settings-form-title">Project</h2>
      <Field id="name" label="Project name" error={errors.name}>
        <input id="name" value={s.name} onInput={set('name')} aria-describedby={described('name')} autoComplete="off" />
      </Field>
      <Field id="domain" label="Experts" error={errors.domain} hint={s.domain === '' ? 'Every expert may work on it, whatever their field.' : undefined}>
        <select id="domain" value={s.domain} onChange={set('domain')} aria-describedby={described('domain')}>
          <option value="">Open to every expert</option>
          <Options items={domains.map((d) => [d.name, d.title] as const)} />
        </select>
      </Field>
      {s.domain !== '' && (
        <Field id="min_level" label="Minimum level" error={errors.min_level}>
          <select id="min_level" value={s.minLevel} onChange={set('minLevel')} aria-describedby={described('min_level')}>
            <option value="0">Any level</option>
            <Options items={levels.map((l) => [String(l.level), `${l.level}: ${l.name}`] as const)} />
          </select>
        </Field>
      )}
      <Field id="redundancy" label="Answers per item" error={errors.redundancy} hint="How many experts answer each item (1–50).">
        <input id="redundancy" type="number" min={1} max={50} step={1} inputMode="numeric" value={s.redundancy} onInput={set('redundancy')} aria-describedby={described('redundancy')} />
      </Field>
      <Field id="gold_rate" label="Gold rate" error={errors.gold_rate} hint="Share of tasks that are gold items, 0–1 (0.1: one in ten).">
        <input id="gold_rate" type="number" min={0} max={1} step={0.05} inputMode="decimal" value={s.goldRate} onInput={set('goldRate')} aria-describedby={described('gold_rate')} />
      </Field>
      <div class="wide-field">
        <Field id="description" label="Description" error={errors.description} hint="For your lab only; experts never see it.">
          <textarea id="description" rows={2} value={s.description} onInput={set('description')} aria-describedby={described('description')} />
        </Field>
      </div>
    </section>
  );
}
