// The operator's exam banks: one per domain and level, draft until activated; a new bank.
import { type Exam, examsApi } from '../../api/exams';
import { expertsApi } from '../../api/experts';
import { navigate } from '../../app/router';
import { domainTitle } from '../../experts/domains';
import { NEW_BANK } from '../../exams/bank-form';
import { formatSpan } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';
import { BankSettingsForm } from './BankSettingsForm';

async function load(signal: AbortSignal) {
  const [exams, domains] = await Promise.all([examsApi.list(signal), expertsApi.domains(signal)]);
  return { exams, domains };
}

export function ExamBanks() {
  const [data, reload] = useResource(load, []);
  return (
    <section class="page">
      <h1>Exam banks</h1>
      <Loaded resource={data} onRetry={reload}>
        {({ exams, domains }) => (
          <div class="stack">
            {exams.length === 0 ? (
              <p>No exam bank yet.</p>
            ) : (
              <TableRegion label="Exam banks">
                  <caption class="sr-only">Exam banks</caption>
                  <thead>
                    <tr>
                      <th scope="col">Exam</th>
                      <th scope="col">Domain</th>
                      <th scope="col">Level</th>
                      <th scope="col">Status</th>
                      <th scope="col" class="num">
                        Questions
                      </th>
                      <th scope="col" class="num">
                        Time limit
                      </th>
                      <th scope="col" class="num">
                        Pass mark
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {exams.map((e: Exam) => (
                      <tr key={e.id}>
                        <th scope="row">
                          <a href={`/admin/exams/${encodeURIComponent(e.id)}`}>{e.title}</a>
                        </th>
                        <td>{domainTitle(domains.domains, e.domain)}</td>
                        <td>
                          {e.level} ({e.level_name})
                        </td>
                        <td>
                          <span class={`status-pill ${e.status === 'active' ? 'active' : 'paused'}`}>{e.status}</span>
                        </td>
                        <td class="num">
                          {e.draw_count} of {e.active_questions ?? 0}
                        </td>
                        <td class="num">{formatSpan(e.time_limit_seconds)}</td>
                        <td class="num">{e.pass_mark}</td>
                      </tr>
                    ))}
                  </tbody>
              </TableRegion>
            )}
            <details class="card">
              <summary>New exam bank</summary>
              <BankSettingsForm
                initial={{ ...NEW_BANK, domain: domains.domains[0]?.name ?? '' }}
                domains={domains}
                submitLabel="Create exam bank"
                save={(s) => examsApi.create(s)}
                onSaved={(e) => navigate(`/admin/exams/${encodeURIComponent(e.id)}`)}
              />
            </details>
          </div>
        )}
      </Loaded>
    </section>
  );
}
