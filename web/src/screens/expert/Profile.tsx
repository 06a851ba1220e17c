// The expert's profile: headline, languages, time zone, weekly hour cap, the domains they
// declare with a level, and their affiliations (for conflicts of interest). Saved whole; the
// server's errors appear beside the field they name.
import { useState } from 'preact/hooks';

import { type Domains, expertsApi } from '../../api/experts';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import {
  formFromProfile,
  languagesError,
  profileRequest,
  type ProfileForm,
  splitLanguages,
  timeZones,
} from '../../experts/profile-form';
import { AffiliationsEditor } from './AffiliationsEditor';
import { DeclaredDomainsEditor } from './DeclaredDomainsEditor';

async function load(signal: AbortSignal) {
  const [profile, domains] = await Promise.all([expertsApi.profile(signal), expertsApi.domains(signal)]);
  return { form: formFromProfile(profile), updatedAt: profile.updated_at, domains };
}

export function ProfileScreen() {
  const [data, reload] = useResource(load, []);
  return (
    <section class="page narrow-page">
      <div class="page-head">
        <h1>Your profile</h1>
        <a href="/work/credentials">Your credentials</a>
      </div>
      <Loaded resource={data} onRetry={reload}>
        {(d) => <ProfileEditor initial={d.form} updatedAt={d.updatedAt} domains={d.domains} />}
      </Loaded>
    </section>
  );
}

function ProfileEditor({ initial, updatedAt, domains }: { initial: ProfileForm; updatedAt: string | null; domains: Domains }) {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState<string | null>(updatedAt);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ProfileForm>(key: K, value: ProfileForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  async function submit(e: Event) {
    e.preventDefault();
    setNote('');
    const req = profileRequest(form);
    if ('errors' in req) {
      setErrors({ fields: req.errors, form: null });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const p = await expertsApi.saveProfile(req.body);
      setForm(formFromProfile(p));
      setSaved(p.updated_at);
      setNote('Your profile is saved.');
    } catch (err) {
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  }

  const f = errors.fields;
  return (
    <form class="stack" onSubmit={submit} noValidate aria-label="Your profile">
      <div class="card form-grid">
        <h2>About you</h2>
        <Field id="pf-headline" label="Headline" error={f.headline} hint="One line on what you know, e.g. “Theoretical physicist, PhD in quantum field theory”.">
          <input id="pf-headline" value={form.headline} maxLength={300} onInput={(e) => set('headline', e.currentTarget.value)} />
        </Field>
        <Field id="pf-languages" label="Languages" error={languagesError(f, splitLanguages(form.languages))} hint="Language tags separated by commas, e.g. en, de, pt-BR.">
          <input id="pf-languages" value={form.languages} autoComplete="off" onInput={(e) => set('languages', e.currentTarget.value)} />
        </Field>
        <Field id="pf-tz" label="Time zone" error={f.time_zone} hint="An IANA name such as Europe/Zurich, or UTC.">
          <input id="pf-tz" list="pf-tz-list" value={form.time_zone} autoComplete="off" onInput={(e) => set('time_zone', e.currentTarget.value)} />
        </Field>
        <datalist id="pf-tz-list">
          {timeZones().map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <Field id="pf-cap" label="Weekly hour cap" error={f.weekly_hours_cap} hint="At most this many hours of work a week; empty for no cap.">
          <input id="pf-cap" inputMode="numeric" value={form.weekly_hours_cap} onInput={(e) => set('weekly_hours_cap', e.currentTarget.value)} />
        </Field>
      </div>
      <DeclaredDomainsEditor rows={form.domains} domains={domains} errors={f} onChange={(rows) => set('domains', rows)} />
      <AffiliationsEditor rows={form.affiliations} errors={f} onChange={(rows) => set('affiliations', rows)} />
      {errors.form && (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <div class="form-actions save-row">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save profile'}
        </button>
        <span class="muted" role="status">
          {note || (saved ? `Last saved ${formatTime(saved)}.` : 'Not saved yet.')}
        </span>
      </div>
    </form>
  );
}
