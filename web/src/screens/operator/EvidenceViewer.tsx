// An evidence file as the operator reviews it: a PDF in a frame, an image inline, both from
// the evidence URL (served to operators and the owning expert only, under a sandbox policy),
// and a link to open it on its own.
import type { Evidence } from '../../api/experts';
import { evidenceView } from '../../experts/credentials';
import { formatBytes } from '../../lab/import-report';

export function EvidenceViewer({ evidence: e }: { evidence: Evidence }) {
  const kind = evidenceView(e.content_type);
  return (
    <figure class="evidence">
      {kind === 'pdf' && <iframe class="evidence-frame" src={e.url} title={`Evidence: ${e.name}`} />}
      {kind === 'image' && <img class="evidence-image" src={e.url} alt={`Evidence: ${e.name}`} />}
      <figcaption class="muted">
        <a href={e.url} target="_blank" rel="noopener" data-external>
          Open {e.name}
        </a>{' '}
        ({e.content_type}, {formatBytes(e.bytes)}, SHA-256 <code>{e.sha256.slice(0, 12)}…</code>)
      </figcaption>
    </figure>
  );
}
