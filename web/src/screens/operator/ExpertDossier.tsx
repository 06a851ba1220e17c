// What else the operator knows of the expert under review: their profile (headline, declared
// domains, languages, affiliations), their other credentials with their decisions, and the
// qualifications they hold with the grounds of each.
import type { Domains } from '../../api/experts';
import { expertsApi } from '../../api/experts';
import { STATUS_LABELS } from '../../experts/credentials';
import { domainTitle } from '../../experts/domains';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';

const GROUNDS: Record<string, string> = { exam: 'exam', credential: 'credential', operator: 'operator' };

export function ExpertDossier({ userId, credentialId, domains }: { userId: string; credentialId: string; domains: Domains }) {
  const [dossier, reload] = useResource((signal) => expertsApi.dossier(userId, signal), [userId]);
  const title = (n: string) => domainTitle(domains.domains, n);
  return (
    <details class="dossier">
      <summary>The expert’s profile, other credentials and qualifications</summary>
      <Loaded resource={dossier} onRetry={reload}>
        {(d) => {
          const others = d.credentials.filter((c) => c.id !== credentialId);
          return (
            <dl class="facts">
              <dt>Headline</dt>
              <dd>{d.profile.headline || <span class="muted">none</span>}</dd>
              <dt>Declares</dt>
              <dd>
                {d.profile.domains.length === 0
                  ? <span class="muted">nothing</span>
                  : d.profile.domains.map((x) => `${title(x.domain)} (${x.level_name ?? x.level})`).join(', ')}
              </dd>
              <dt>Languages</dt>
              <dd>{d.profile.languages.join(', ') || <span class="muted">none</span>}</dd>
              <dt>Affiliations</dt>
              <dd>
                {d.profile.affiliations.length === 0
                  ? <span class="muted">none</span>
                  : d.profile.affiliations.map((a) => `${a.organisation} (${a.kind}${a.until ? ', past' : ''})`).join('; ')}
              </dd>
              <dt>Qualifications</dt>
              <dd>
                {d.qualifications.length === 0
                  ? <span class="muted">none</span>
                  : d.qualifications
                      .map((q) => `${title(q.domain)}, ${q.level_name} (${GROUNDS[q.grounds.kind] ?? q.grounds.kind}${q.expired ? ', expired' : ''})`)
                      .join('; ')}
              </dd>
              <dt>Other credentials</dt>
              <dd>
                {others.length === 0 ? <span class="muted">none</span> : others.map((c) => `${c.title}: ${STATUS_LABELS[c.status].toLowerCase()}`).join('; ')}
              </dd>
            </dl>
          );
        }}
      </Loaded>
    </details>
  );
}
