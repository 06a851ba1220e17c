// Experts excluded from this project by the pseudonym the lab knows them by.
import { useState } from 'preact/hooks';

import { labApi } from '../../api/lab';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';

export function ExclusionsCard({ projectId }: { projectId: string }) {
  const [list, reload] = useResource((signal) => labApi.exclusions(projectId, signal), [projectId]);
  const [pseudonym, setPseudonym] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [error, setError] = useState<Error | null>(null);

  async function add(e: Event) {
    e.preventDefault();
    setErrors(NO_ERRORS);
    try {
      await labApi.exclude(projectId, pseudonym.trim());
      setPseudonym('');
      reload();
    } catch (err) {
      setErrors(formErrors(err));
    }
  }
  async function remove(p: string) {
    setError(null);
    try {
      await labApi.unexclude(projectId, p);
      reload();
    } catch (err) {
      setError(err as Error);
    }
  }

  return (
    <section class="card" aria-labelledby="excl-title">
      <h2 id="excl-title">Excluded experts</h2>
      <Loaded resource={list} onRetry={reload}>
        {(exclusions) =>
          exclusions.length === 0 ? (
            <p class="muted">Nobody is excluded.</p>
          ) : (
            <ul class="quals" aria-label="Excluded experts">
              {exclusions.map((x) => (
                <li key={x.pseudonym}>
                  <span>
                    <code>{x.pseudonym}</code> <span class="muted">since {formatTime(x.created_at)}</span>
                  </span>
                  <ConfirmButton label="Remove" confirmLabel="Remove now" accessibleName={`Remove the exclusion of ${x.pseudonym}`} onConfirm={() => void remove(x.pseudonym)} />
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      {error && <ErrorBox error={error} />}
      <form class="grant-form" onSubmit={add} noValidate aria-label="Exclude an expert">
        <Field id="excl-pseudonym" label="Pseudonym" error={errors.fields.pseudonym ?? errors.form ?? undefined} hint="As the lab sees the expert, e.g. ex_3k9….">
          <input id="excl-pseudonym" value={pseudonym} autoComplete="off" onInput={(e) => setPseudonym(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="button">
          Exclude
        </button>
      </form>
    </section>
  );
}
