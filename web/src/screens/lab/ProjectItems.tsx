// A project's items, a page at a time, each with its aggregated answer and confidence per
// question (from the quality report), how many answers it has, and whether it is gold.
import { useState } from 'preact/hooks';

import { labApi, type LabProject } from '../../api/lab';
import { formatAnswer, formatProbability, itemSnippet, joinAggregates } from '../../lab/aggregates';
import { answerColumns } from '../../lab/answer-columns';
import { formatCount } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';
import { Options } from './Options';
import { projectHref } from './ProjectFrame';
import { TableHead } from './TableHead';

const PAGE_SIZES = [25, 50, 100];

async function loadPage(projectId: string, limit: number, after: string | null, signal: AbortSignal) {
  // Both lists run in item order, and the aggregated items are some of the items, so one page of
  // aggregates after the same item covers every aggregated item of the page.
  const [items, aggregates] = await Promise.all([
    labApi.items(projectId, limit, after, signal),
    labApi.aggregates(projectId, limit, after, signal),
  ]);
  return { rows: joinAggregates(items.items, aggregates.aggregates), next: items.next_after };
}

export function ProjectItems({ project }: { project: LabProject }) {
  const [limit, setLimit] = useState(PAGE_SIZES[0]!);
  // The cursor of every page read so far; the last one is the page shown.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [page, reload] = useResource((signal) => loadPage(project.id, limit, after, signal), [project.id, limit, after]);

  return (
    <section class="card" aria-labelledby="items-title">
      <h2 id="items-title">Items</h2>
      <Loaded resource={page} onRetry={reload}>
        {({ rows, next }) => {
          const columns = answerColumns(project.template, rows);
          return (
            <>
              <div class="pager">
                <div class="field">
                  <label for="page-size">Items per page</label>
                  <select
                    id="page-size"
                    value={String(limit)}
                    onChange={(e) => {
                      setLimit(Number(e.currentTarget.value));
                      setCursors([null]);
                    }}
                  >
                    <Options items={PAGE_SIZES.map(String)} />
                  </select>
                </div>
                <p class="muted" role="status">
                  Page {cursors.length}
                  {rows.length > 0 && `, items ${formatCount((cursors.length - 1) * limit + 1)}–${formatCount((cursors.length - 1) * limit + rows.length)}`}
                </p>
                <div class="head-actions">
                  <button type="button" class="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                    Previous page
                  </button>
                  <button type="button" class="button" disabled={next === null} onClick={() => setCursors([...cursors, next])}>
                    Next page
                  </button>
                </div>
              </div>
              {rows.length === 0 ? (
                <p>No items yet. Import a JSONL file on the overview.</p>
              ) : (
                <TableRegion label="Items with their aggregated answers">
                  <TableHead columns={['Item', 'Content', '#Answers', ...columns]} />
                  <tbody>
                    {rows.map(({ item, answers }) => (
                      <tr key={item.id}>
                        <th scope="row">
                          <a href={projectHref(project.id, `/items/${encodeURIComponent(item.id)}`)}>
                            <code>{item.external_id ?? item.id}</code>
                          </a>
                          {item.gold && (
                            <>
                              {' '}
                              <span class="gold-mark" title={`Gold answer: ${JSON.stringify(item.gold)}`}>
                                gold
                              </span>
                            </>
                          )}
                        </th>
                        <td class="snippet">{itemSnippet(item.data, project.template)}</td>
                        <td class="num">
                          {formatCount(item.submitted)}
                          {item.taken > item.submitted && <span class="muted"> (+{formatCount(item.taken - item.submitted)} leased)</span>}
                        </td>
                        {columns.map((c) => {
                          const a = answers.get(c);
                          return (
                            <td key={c}>
                              {a ? (
                                <>
                                  {formatAnswer(a.answer)} <span class="muted">· {formatProbability(a.confidence)}</span>
                                </>
                              ) : (
                                <span class="muted">—</span>
                              )}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </TableRegion>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
