// The experts who worked on a project, by pseudonym: the mix of their qualification levels,
// and each one's qualification, verified credentials, gold accuracy, skill and whether they
// are paused. A lab never learns who they are.
import { expertsApi } from '../../api/experts';
import { labApi, type LabProject } from '../../api/lab';
import { domainTitle } from '../../experts/domains';
import { mixBars, percentOrDash, qualificationText, skillText } from '../../lab/workforce';
import { formatCount } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

async function load(id: string, signal: AbortSignal) {
  const [workforce, domains] = await Promise.all([labApi.workforce(id, signal), expertsApi.domains(signal)]);
  return { workforce, domains: domains.domains };
}

export function ProjectWorkforce({ project }: { project: LabProject }) {
  const [data, reload] = useResource((signal) => load(project.id, signal), [project.id]);
  return (
    <Loaded resource={data} onRetry={reload}>
      {({ workforce, domains }) =>
        workforce.experts.length === 0 ? (
          <p class="card">No expert has worked on this project yet.</p>
        ) : (
          <div class="stack">
            <section class="card" aria-labelledby="mix-title">
              <h2 id="mix-title">Qualification mix</h2>
              <div class="scroll-x" role="region" aria-label="Qualification mix table" tabIndex={0}>
              <table class="table mix-table">
                <caption class="sr-only">Experts per qualification level</caption>
                <thead>
                  <tr>
                    <th scope="col">Level</th>
                    <th scope="col" class="num">
                      Experts
                    </th>
                    <th scope="col">Share</th>
                  </tr>
                </thead>
                <tbody>
                  {mixBars(workforce).map((b) => (
                    <tr key={b.label}>
                      <th scope="row">{b.label}</th>
                      <td class="num">{formatCount(b.experts)}</td>
                      <td>
                        <span class="mix-bar" aria-hidden="true">
                          <span style={{ width: `${b.percent}%` }} />
                        </span>{' '}
                        {b.percent}%
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
            </section>
            <section aria-labelledby="wf-title">
              <h2 id="wf-title">Experts</h2>
              <TableRegion label="Experts by pseudonym">
                  <caption class="sr-only">Experts who worked on {project.name}, by pseudonym</caption>
                  <thead>
                    <tr>
                      <th scope="col">Expert</th>
                      <th scope="col">Qualification</th>
                      <th scope="col">Verified credentials</th>
                      <th scope="col" class="num">
                        Judgments
                      </th>
                      <th scope="col" class="num">
                        Gold
                      </th>
                      <th scope="col" class="num">
                        Skill
                      </th>
                      <th scope="col">Standing</th>
                    </tr>
                  </thead>
                  <tbody>
                    {workforce.experts.map((e) => (
                      <tr key={e.pseudonym}>
                        <th scope="row">
                          <code>{e.pseudonym}</code>
                        </th>
                        <td>{qualificationText(e, (n) => domainTitle(domains, n))}</td>
                        <td>{e.credentials.length === 0 ? <span class="muted">none</span> : e.credentials.map((c) => c.text).join('; ')}</td>
                        <td class="num">{formatCount(e.judgments)}</td>
                        <td class="num">
                          {percentOrDash(e.gold_accuracy)}
                          {e.gold_total > 0 && <span class="muted"> ({e.gold_correct}/{e.gold_total})</span>}
                        </td>
                        <td class="num">{skillText(e.skill)}</td>
                        <td>{e.paused ? <span class="status-pill paused">paused</span> : <span class="status-pill active">active</span>}</td>
                      </tr>
                    ))}
                  </tbody>
              </TableRegion>
            </section>
          </div>
        )
      }
    </Loaded>
  );
}
