// The expert's credentials: each with its status (pending, verified, or rejected with the
// reason), the evidence upload for one without a file, and the form to add one.
import { type Credential, expertsApi } from '../../api/experts';
import { domainTitle } from '../../experts/domains';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { CredentialCard } from './CredentialCard';
import { NewCredentialForm } from './NewCredentialForm';

async function load(signal: AbortSignal) {
  const [credentials, domains] = await Promise.all([expertsApi.credentials(signal), expertsApi.domains(signal)]);
  return { credentials, domains };
}

export function Credentials() {
  const [data, reload] = useResource(load, []);
  return (
    <section class="page narrow-page">
      <div class="page-head">
        <h1>Your credentials</h1>
        <a href="/work/profile">Your profile</a>
      </div>
      <p class="muted">
        Degrees, licences, certifications and employment, each with a file that proves it. An operator checks the file;
        labs only ever see “verified”, never the file.
      </p>
      <Loaded resource={data} onRetry={reload}>
        {({ credentials, domains }) => (
          <div class="stack">
            <NewCredentialForm domains={domains} onCreated={reload} />
            {credentials.length === 0 ? (
              <p>You have no credential yet.</p>
            ) : (
              <ul class="expert-list" aria-label="Your credentials">
                {credentials.map((c: Credential) => (
                  <CredentialCard key={c.id} credential={c} titleOf={(n) => domainTitle(domains.domains, n)} onChanged={reload} />
                ))}
              </ul>
            )}
          </div>
        )}
      </Loaded>
    </section>
  );
}
