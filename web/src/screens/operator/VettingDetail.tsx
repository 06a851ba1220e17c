// One pending credential under review: who sent it, what it claims, its evidence, and the two
// decisions.
import type { Domains, PendingCredential } from '../../api/experts';
import { claimLine, IDENTIFIER_LABELS, KIND_LABELS } from '../../experts/credentials';
import { domainTitle } from '../../experts/domains';
import { identifierUrl } from '../../experts/vetting';
import { formatDate } from '../../ui/format';
import { EvidenceViewer } from './EvidenceViewer';
import { ExpertDossier } from './ExpertDossier';
import { RejectForm } from './RejectForm';
import { VerifyForm } from './VerifyForm';

export function VettingDetail({
  credential: c,
  domains,
  onDecided,
}: {
  credential: PendingCredential;
  domains: Domains;
  onDecided: (message: string) => void;
}) {
  const link = identifierUrl(c.identifier_kind, c.identifier);
  return (
    <article class="card stack" aria-labelledby="vet-title">
      <div>
        <h2 id="vet-title">{c.title}</h2>
        <p class="muted">{claimLine(c, (n) => domainTitle(domains.domains, n))}</p>
      </div>
      <dl class="facts">
        <dt>Expert</dt>
        <dd>
          {c.expert.name} ({c.expert.email})
        </dd>
        <dt>Kind</dt>
        <dd>{KIND_LABELS[c.kind]}</dd>
        {c.identifier && c.identifier_kind && (
          <>
            <dt>{IDENTIFIER_LABELS[c.identifier_kind]}</dt>
            <dd>
              {link ? (
                <a href={link} target="_blank" rel="noopener noreferrer" data-external>
                  {c.identifier}
                </a>
              ) : (
                c.identifier
              )}
            </dd>
          </>
        )}
        {c.issued_at && (
          <>
            <dt>Issued</dt>
            <dd>{formatDate(c.issued_at)}</dd>
          </>
        )}
        {c.expires_at && (
          <>
            <dt>Expires</dt>
            <dd>{formatDate(c.expires_at)}</dd>
          </>
        )}
      </dl>
      <ExpertDossier userId={c.expert.id} credentialId={c.id} domains={domains} />
      {c.evidence ? <EvidenceViewer evidence={c.evidence} /> : <p class="muted">No evidence file.</p>}
      <VerifyForm credential={c} domains={domains} onVerified={(q) => onDecided(`Verified “${c.title}” of ${c.expert.name}${q ? `, granting ${q}` : ''}.`)} />
      <RejectForm credential={c} onRejected={() => onDecided(`Rejected “${c.title}” of ${c.expert.name}.`)} />
    </article>
  );
}
