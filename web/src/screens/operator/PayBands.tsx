// Pay bands (an hourly rate per domain, level and currency; domain empty for generalist work)
// and the instance's default markup on the experts' pay.
import { useState } from 'preact/hooks';

import { payApi, type PayBand } from '../../api/pay';
import { bandFromForm, formFromBand, markupFromText, type BandForm } from '../../pay/forms';
import { basisPointsInput, formatBasisPoints, formatRate } from '../../pay/money';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { formErrors } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { LEVEL_NAMES } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

function levelText(level: number): string {
  return level === 0 ? '0 (any level)' : `${level} (${LEVEL_NAMES[level] ?? 'unknown'})`;
}

const EMPTY_BAND: BandForm = { domain: '', level: '1', currency: 'USD', hourly: '' };

export function PayBands() {
  const [bands, reload] = useResource((signal) => payApi.bands(signal), []);
  const [editing, setEditing] = useState<BandForm>(EMPTY_BAND);
  // The editor starts again from `editing` whenever a band is picked or saved.
  const [generation, setGeneration] = useState(0);
  const edit = (f: BandForm) => {
    setEditing(f);
    setGeneration((g) => g + 1);
  };
  const [failure, setFailure] = useState<Error | null>(null);
  return (
    <div class="stack">
      <MarkupForm />
      <section class="card" aria-labelledby="bands-title">
        <h2 id="bands-title">Pay bands</h2>
        <p class="muted">What an expert earns an hour on a project in the domain at the level; a project may pay more, never less.</p>
        {failure && <ErrorBox error={failure} />}
        <Loaded resource={bands} onRetry={reload}>
          {(list) =>
            list.length === 0 ? (
              <p>No pay band yet: projects pay nothing until one applies.</p>
            ) : (
              <TableRegion label="Bands by domain and level">
                <thead>
                  <tr>
                    <th scope="col">Domain</th>
                    <th scope="col">Level</th>
                    <th scope="col" class="num">
                      Hourly rate
                    </th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((b) => {
                    const name = `${b.domain || 'generalist work'}, level ${b.level}, ${b.currency}`;
                    return (
                      <tr key={`${b.domain}/${b.level}/${b.currency}`}>
                        <th scope="row">{b.domain || 'Generalist work'}</th>
                        <td>{levelText(b.level)}</td>
                        <td class="num">{formatRate(b.hourly_minor, b.currency)}</td>
                        <td>
                          <button type="button" class="button small" aria-label={`Change the band for ${name}`} onClick={() => edit(formFromBand(b))}>
                            Change
                          </button>{' '}
                          <ConfirmButton
                            label="Delete"
                            confirmLabel="Delete the band"
                            accessibleName={`Delete the band for ${name}`}
                            onConfirm={() => {
                              setFailure(null);
                              payApi.deleteBand(b).then(reload, (e: Error) => setFailure(e));
                            }}
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </TableRegion>
            )
          }
        </Loaded>
        <BandEditor
          key={generation}
          initial={editing}
          onSaved={() => {
            edit(EMPTY_BAND);
            reload();
          }}
        />
      </section>
    </div>
  );
}

function BandEditor({ initial, onSaved }: { initial: BandForm; onSaved: (b: PayBand) => void }) {
  const [form, setForm] = useState<BandForm>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof BandForm, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const submit = async (e: Event) => {
    e.preventDefault();
    setFormError(null);
    const r = bandFromForm(form);
    if ('errors' in r) {
      setErrors(r.errors);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      onSaved(await payApi.putBand(r.band));
    } catch (x) {
      const fe = formErrors(x);
      setErrors(fe.fields);
      setFormError(fe.form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form-grid" aria-labelledby="band-form-title" noValidate onSubmit={submit}>
      <h3 id="band-form-title" class="full-row">
        Set a band
      </h3>
      <Field id="band-domain" label="Domain" error={errors.domain} hint="Empty: generalist work.">
        <input id="band-domain" value={form.domain} onInput={(e) => set('domain', e.currentTarget.value)} />
      </Field>
      <Field id="band-level" label="Level" error={errors.level}>
        <select id="band-level" value={form.level} onChange={(e) => set('level', e.currentTarget.value)}>
          {[0, 1, 2, 3, 4, 5].map((l) => (
            <option key={l} value={String(l)}>
              {levelText(l)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="band-currency" label="Currency" error={errors.currency}>
        <input id="band-currency" value={form.currency} maxLength={3} onInput={(e) => set('currency', e.currentTarget.value)} />
      </Field>
      <Field id="band-hourly" label="Hourly rate" error={errors.hourly_minor}>
        <input id="band-hourly" inputMode="decimal" value={form.hourly} onInput={(e) => set('hourly', e.currentTarget.value)} />
      </Field>
      {formError && (
        <p class="field-error" role="alert">
          {formError}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          Save the band
        </button>
      </div>
    </form>
  );
}

function MarkupForm() {
  const [settings, reload] = useResource((signal) => payApi.settings(signal), []);
  return (
    <Loaded resource={settings} onRetry={reload}>
      {(s) => <MarkupEditor current={s.markup_bp} />}
    </Loaded>
  );
}

function MarkupEditor({ current }: { current: number }) {
  const [text, setText] = useState(basisPointsInput(current));
  const [saved, setSaved] = useState<number>(current);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(false);
    const r = markupFromText(text, false);
    if ('error' in r) {
      setError(r.error);
      return;
    }
    try {
      const s = await payApi.putSettings(r.markup_bp!);
      setSaved(s.markup_bp);
      setError(null);
      setDone(true);
    } catch (x) {
      const fe = formErrors(x);
      setError(fe.fields.markup_bp ?? fe.form);
    }
  };
  return (
    <form class="card form-grid" aria-labelledby="markup-title" noValidate onSubmit={submit}>
      <h2 id="markup-title">Default markup</h2>
      <p class="muted full-row">
        A lab pays the experts’ cost plus this share, unless the lab has its own markup or the project a fixed price. Now {formatBasisPoints(saved)}.
      </p>
      <Field id="markup" label="Markup (%)" error={error ?? undefined}>
        <input id="markup" inputMode="decimal" value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <div class="form-actions save-row">
        <button type="submit" class="button primary">
          Save the markup
        </button>
        {done && (
          <span class="ok" role="status">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
