// The domain taxonomy: domains with their sub-fields, and adding either. A domain's name is
// what qualifications and projects hold, so it never changes once added.
import { useState } from 'preact/hooks';

import { ApiError } from '../../api/client';
import { type Domain, expertsApi } from '../../api/experts';
import { domainTree, suggestName } from '../../experts/domains';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';

export function Domains() {
  const [data, reload] = useResource((signal) => expertsApi.domains(signal), []);
  return (
    <section class="page narrow-page">
      <h1>Domains</h1>
      <Loaded resource={data} onRetry={reload}>
        {({ domains }) => (
          <div class="stack">
            <NewDomainForm domains={domains} onAdded={reload} />
            <ul class="domain-tree" aria-label="Domains and their sub-fields">
              {domainTree(domains).map((n) => (
                <li key={n.domain.name} class="card">
                  <h2>
                    {n.domain.title} <code>{n.domain.name}</code>
                  </h2>
                  {n.subfields.length === 0 ? (
                    <p class="muted">No sub-field.</p>
                  ) : (
                    <ul aria-label={`Sub-fields of ${n.domain.title}`}>
                      {n.subfields.map((s) => (
                        <li key={s.name} class="badge">
                          {s.title}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Loaded>
    </section>
  );
}

function NewDomainForm({ domains, onAdded }: { domains: Domain[]; onAdded: () => void }) {
  const [title, setTitle] = useState('');
  const [name, setName] = useState('');
  const [nameEdited, setNameEdited] = useState(false);
  const [parent, setParent] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const roots = domains.filter((d) => d.parent === null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    setNote('');
    try {
      const d = await expertsApi.addDomain(parent ? { name, title: title.trim(), parent } : { name, title: title.trim() });
      setTitle('');
      setName('');
      setNameEdited(false);
      setNote(`Added ${d.title}${d.parent ? ` under ${roots.find((r) => r.name === d.parent)?.title ?? d.parent}` : ''}.`);
      onAdded();
    } catch (err) {
      const fe = formErrors(err);
      // A name already taken is the name's problem.
      if (err instanceof ApiError && err.reason === 'domain_exists') setErrors({ fields: { name: err.message }, form: null });
      else setErrors(fe);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form-grid" onSubmit={submit} noValidate aria-labelledby="nd-title-h">
      <h2 id="nd-title-h">Add a domain or sub-field</h2>
      <Field id="nd-title" label="Title" error={errors.fields.title}>
        <input
          id="nd-title"
          value={title}
          maxLength={200}
          onInput={(e) => {
            setTitle(e.currentTarget.value);
            if (!nameEdited) setName(suggestName(e.currentTarget.value));
          }}
        />
      </Field>
      <Field id="nd-name" label="Name" error={errors.fields.name} hint="Lowercase letters, digits and _; it never changes.">
        <input
          id="nd-name"
          value={name}
          maxLength={48}
          autoComplete="off"
          onInput={(e) => {
            setName(e.currentTarget.value);
            setNameEdited(true);
          }}
        />
      </Field>
      <Field id="nd-parent" label="Sub-field of" error={errors.fields.parent}>
        <select id="nd-parent" value={parent} onChange={(e) => setParent(e.currentTarget.value)}>
          <option value="">None: a domain of its own</option>
          {roots.map((r) => (
            <option key={r.name} value={r.name}>
              {r.title}
            </option>
          ))}
        </select>
      </Field>
      {errors.form && (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          Add
        </button>
      </div>
      <p class="form-note" role="status">
        {note}
      </p>
    </form>
  );
}
