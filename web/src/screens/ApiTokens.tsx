// The caller's API tokens, for scripts: create one (its secret is shown once, here), list them,
// revoke one. Every role has them; a token acts with its owner's rights.
import { useState } from 'preact/hooks';

import { api } from '../api/client';
import type { Timestamp } from '../api/types';
import { ConfirmButton } from '../ui/ConfirmButton';
import { type FormErrors, formErrors, NO_ERRORS } from '../ui/errors';
import { Field } from '../ui/Field';
import { formatDate } from '../ui/format';
import { useResource } from '../ui/resource';
import { ErrorBox, Loaded } from '../ui/Status';
import { TableRegion } from '../ui/TableRegion';

interface ApiToken {
  id: string;
  name: string;
  created_at: Timestamp;
  expires_at: Timestamp | null;
}

const LIFETIMES = [
  { label: '30 days', seconds: 30 * 86400 },
  { label: '90 days', seconds: 90 * 86400 },
  { label: '1 year', seconds: 365 * 86400 },
  { label: 'Never expires', seconds: 0 },
];

export function ApiTokens() {
  const [tokens, reload] = useResource(
    (signal) => api.get<{ tokens: ApiToken[] }>('/api/v1/tokens', signal),
    [],
  );
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);

  async function revoke(t: ApiToken) {
    setError(null);
    try {
      await api.delete(`/api/v1/tokens/${encodeURIComponent(t.id)}`);
      reload();
    } catch (err) {
      setError(err as Error);
    }
  }

  return (
    <section class="page">
      <h1>API tokens</h1>
      <p class="muted">
        A token lets a script call the API as you, sent in the header{' '}
        <code>Authorization: Bearer &lt;token&gt;</code>
      </p>
      {secret && <NewSecret name={secret.name} token={secret.token} onDone={() => setSecret(null)} />}
      {error && <ErrorBox error={error} />}
      <div class="stack">
        <NewTokenForm
          onCreated={(name, token) => {
            setSecret({ name, token });
            reload();
          }}
        />
        <Loaded resource={tokens} onRetry={reload}>
          {({ tokens: list }) =>
            list.length === 0 ? (
              <p>You have no API tokens.</p>
            ) : (
              <TableRegion label="API tokens">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Created</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((t) => (
                    <tr key={t.id}>
                      <th scope="row">{t.name}</th>
                      <td>{formatDate(t.created_at)}</td>
                      <td>{t.expires_at ? formatDate(t.expires_at) : 'never'}</td>
                      <td>
                        <ConfirmButton
                          label="Revoke"
                          confirmLabel="Revoke now"
                          accessibleName={`Revoke token ${t.name}`}
                          onConfirm={() => void revoke(t)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </TableRegion>
            )
          }
        </Loaded>
      </div>
    </section>
  );
}

function NewSecret({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="card secret" role="region" aria-label="New token">
      <h2>Your new token “{name}”</h2>
      <p>Copy it now: it is shown only this once.</p>
      <p>
        <code class="secret-value" data-testid="token-secret">
          {token}
        </code>
      </p>
      <div class="form-actions">
        <button
          type="button"
          class="button"
          onClick={() => {
            void navigator.clipboard?.writeText(token).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>{' '}
        <button type="button" class="button primary" onClick={onDone}>
          I have kept it
        </button>
      </div>
    </div>
  );
}

function NewTokenForm({ onCreated }: { onCreated: (name: string, token: string) => void }) {
  const [name, setName] = useState('');
  const [lifetime, setLifetime] = useState(LIFETIMES[1]!.seconds);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const body: Record<string, unknown> = { name };
      if (lifetime > 0) body.expires_in_seconds = lifetime;
      const created = await api.post<{ name: string; token: string }>('/api/v1/tokens', body);
      setName('');
      onCreated(created.name, created.token);
    } catch (err) {
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form-grid" onSubmit={submit} noValidate aria-labelledby="new-token-title">
      <h2 id="new-token-title">New token</h2>
      <Field id="tok-name" label="Name" error={errors.fields.name} hint="What uses it, e.g. “nightly export”.">
        <input id="tok-name" value={name} required onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field id="tok-life" label="Lifetime" error={errors.fields.expires_in_seconds}>
        <select id="tok-life" value={String(lifetime)} onChange={(e) => setLifetime(Number(e.currentTarget.value))}>
          {LIFETIMES.map((l) => (
            <option key={l.seconds} value={String(l.seconds)}>
              {l.label}
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
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}
