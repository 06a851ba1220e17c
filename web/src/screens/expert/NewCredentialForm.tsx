// Adding a credential: what it is, who issued it, the domain and level it proves, and an
// optional public identifier. It is saved as a draft; the evidence upload sends it for review.
import { useState } from 'preact/hooks';

import { type CredentialKind, type Domains, expertsApi, type IdentifierKind } from '../../api/experts';
import { type CredentialForm, credentialRequest, EMPTY_CREDENTIAL, IDENTIFIER_LABELS, KIND_LABELS } from '../../experts/credentials';
import { domainOptions } from '../../experts/domains';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';

export function NewCredentialForm({ domains, onCreated }: { domains: Domains; onCreated: () => void }) {
  const [form, setForm] = useState<CredentialForm>(EMPTY_CREDENTIAL);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const set = <K extends keyof CredentialForm>(key: K, value: CredentialForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const f = errors.fields;

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    setNote('');
    try {
      const c = await expertsApi.addCredential(credentialRequest(form));
      setForm(EMPTY_CREDENTIAL);
      setNote(`“${c.title}” is added. Upload its evidence below to send it for review.`);
      onCreated();
    } catch (err) {
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="card">
      <summary>Add a credential</summary>
      <form class="form-grid" onSubmit={submit} noValidate aria-label="Add a credential">
        <Field id="nc-kind" label="Kind" error={f.kind}>
          <select id="nc-kind" value={form.kind} onChange={(e) => set('kind', e.currentTarget.value as CredentialKind)}>
            {(Object.keys(KIND_LABELS) as CredentialKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field id="nc-title" label="Title" error={f.title} hint="e.g. Doctorate in physics, Bar admission (New York)">
          <input id="nc-title" value={form.title} maxLength={300} onInput={(e) => set('title', e.currentTarget.value)} />
        </Field>
        <Field id="nc-issuer" label="Issuer" error={f.issuer}>
          <input id="nc-issuer" value={form.issuer} maxLength={300} onInput={(e) => set('issuer', e.currentTarget.value)} />
        </Field>
        <Field id="nc-domain" label="Domain" error={f.domain}>
          <select id="nc-domain" value={form.domain} onChange={(e) => set('domain', e.currentTarget.value)}>
            <option value="">None</option>
            {domainOptions(domains.domains).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="nc-level" label="Level" error={f.level}>
          <select id="nc-level" value={form.level} onChange={(e) => set('level', e.currentTarget.value)}>
            <option value="">None</option>
            {domains.levels.map((l) => (
              <option key={l.level} value={String(l.level)}>
                {l.level}: {l.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="nc-idkind" label="Identifier kind" error={f.identifier_kind}>
          <select id="nc-idkind" value={form.identifier_kind} onChange={(e) => set('identifier_kind', e.currentTarget.value as IdentifierKind | '')}>
            <option value="">None</option>
            {(Object.keys(IDENTIFIER_LABELS) as IdentifierKind[]).map((k) => (
              <option key={k} value={k}>
                {IDENTIFIER_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        {form.identifier_kind && (
          <Field id="nc-identifier" label="Identifier" error={f.identifier} hint={form.identifier_kind === 'orcid' ? 'e.g. 0000-0002-1825-0097' : undefined}>
            <input id="nc-identifier" value={form.identifier} onInput={(e) => set('identifier', e.currentTarget.value)} />
          </Field>
        )}
        <Field id="nc-issued" label="Issued on" error={f.issued_at}>
          <input id="nc-issued" type="date" value={form.issued_at} onInput={(e) => set('issued_at', e.currentTarget.value)} />
        </Field>
        <Field id="nc-expires" label="Expires on" error={f.expires_at}>
          <input id="nc-expires" type="date" value={form.expires_at} onInput={(e) => set('expires_at', e.currentTarget.value)} />
        </Field>
        {errors.form && (
          <p class="field-error" role="alert">
            {errors.form}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add credential'}
          </button>
        </div>
        <p class="form-note" role="status">
          {note}
        </p>
      </form>
    </details>
  );
}
