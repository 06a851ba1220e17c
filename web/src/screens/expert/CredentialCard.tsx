// One of the expert's credentials: what it claims, its status with the decision, its evidence
// (or the upload of it), and withdrawing it while it is not decided.
import { useState } from 'preact/hooks';

import { type Credential, expertsApi } from '../../api/experts';
import { canWithdraw, claimLine, IDENTIFIER_LABELS, STATUS_LABELS, statusLine } from '../../experts/credentials';
import { formatBytes } from '../../lab/import-report';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { formatDate } from '../../ui/format';
import { ErrorBox } from '../../ui/Status';
import { EvidenceUpload } from './EvidenceUpload';

export function CredentialCard({
  credential: c,
  titleOf,
  onChanged,
}: {
  credential: Credential;
  titleOf: (domain: string) => string;
  onChanged: () => void;
}) {
  const [error, setError] = useState<Error | null>(null);
  async function withdraw() {
    setError(null);
    try {
      await expertsApi.withdrawCredential(c.id);
      onChanged();
    } catch (err) {
      setError(err as Error);
    }
  }
  const headingId = `crd-${c.id}`;
  return (
    <li class="card credential" aria-labelledby={headingId}>
      <div class="card-head">
        <h2 id={headingId}>{c.title}</h2>
        <span class={`status-pill cred-${c.status}`}>{STATUS_LABELS[c.status]}</span>
      </div>
      <p class="muted">{claimLine(c, titleOf)}</p>
      {(c.identifier || c.expires_at) && (
        <p class="muted">
          {c.identifier && c.identifier_kind && `${IDENTIFIER_LABELS[c.identifier_kind]}: ${c.identifier}`}
          {c.identifier && c.expires_at && ' · '}
          {c.expires_at && `expires ${formatDate(c.expires_at)}`}
        </p>
      )}
      <p class={c.status === 'rejected' ? 'decision rejected' : 'decision'}>{statusLine(c)}</p>
      {c.evidence && (
        <p>
          Evidence:{' '}
          <a href={c.evidence.url} target="_blank" rel="noopener">
            {c.evidence.name}
          </a>{' '}
          <span class="muted">({formatBytes(c.evidence.bytes)})</span>
        </p>
      )}
      {c.status === 'draft' && <EvidenceUpload credential={c} onUploaded={onChanged} />}
      {canWithdraw(c) && (
        <ConfirmButton label="Withdraw" confirmLabel="Withdraw now" accessibleName={`Withdraw ${c.title}`} onConfirm={() => void withdraw()} />
      )}
      {error && <ErrorBox error={error} />}
    </li>
  );
}
