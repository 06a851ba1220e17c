// Verifying a credential: the expiry the evidence shows, and the qualification it proves
// (domain, level, reviewer rights) granted on the credential's grounds.
import { useState } from 'preact/hooks';

import { type Domains, expertsApi, type PendingCredential } from '../../api/experts';
import { domainOptions, domainTitle } from '../../experts/domains';
import { verifyErrors, type VerifyForm as Form, verifyFormFor, verifyRequest } from '../../experts/vetting';
import { formErrors } from '../../ui/errors';
import { Field } from '../../ui/Field';

export function VerifyForm({
  credential: c,
  domains,
  onVerified,
}: {
  credential: PendingCredential;
  domains: Domains;
  onVerified: (granted: string | null) => void;
}) {
  const [form, setForm] = useState<Form>(() => verifyFormFor(c, domains.domains[0]?.name ?? ''));
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      const r = await expertsApi.verify(c.id, verifyRequest(form, c));
      onVerified(r.qualification ? `${domainTitle(domains.domains, r.qualification.domain)}, level ${r.qualification.level}` : null);
    } catch (err) {
      const fe = formErrors(err);
      setErrors(verifyErrors(fe.fields));
      setFormError(fe.form);
      setBusy(false);
    }
  }

  return (
    <form class="decision-form" onSubmit={submit} noValidate aria-labelledby="verify-title">
      <h3 id="verify-title">Verify</h3>
      <Field id="vf-expires" label="Expires on (from the evidence; empty: never)" error={errors.expires_at}>
        <input id="vf-expires" type="date" value={form.expires_at} onInput={(e) => set('expires_at', e.currentTarget.value)} />
      </Field>
      <label class="checkbox">
        <input type="checkbox" checked={form.grant} onChange={(e) => set('grant', e.currentTarget.checked)} /> Grant a qualification on this
        credential
      </label>
      {form.grant && (
        <div class="grant-form">
          <Field id="vf-domain" label="Domain" error={errors.domain}>
            <select id="vf-domain" value={form.domain} onChange={(e) => set('domain', e.currentTarget.value)}>
              {domainOptions(domains.domains).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </Field>
          <Field id="vf-level" label="Level" error={errors.level}>
            <select id="vf-level" value={form.level} onChange={(e) => set('level', e.currentTarget.value)}>
              {domains.levels.map((l) => (
                <option key={l.level} value={String(l.level)}>
                  {l.level}: {l.name}
                </option>
              ))}
            </select>
          </Field>
          <label class="checkbox">
            <input type="checkbox" checked={form.reviewer} onChange={(e) => set('reviewer', e.currentTarget.checked)} /> Reviewer
          </label>
        </div>
      )}
      {(formError || errors.grant) && (
        <p class="field-error" role="alert">
          {formError ?? errors.grant}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          Verify credential
        </button>
      </div>
    </form>
  );
}
