// The bad lines of a refused import, as a table the lab can work through in its editor.
import type { ApiError } from '../../api/client';
import { lineErrors, MAX_REPORTED_LINES } from '../../lab/import-report';
import { TableRegion } from '../../ui/TableRegion';
import { TableHead } from './TableHead';

export function ImportErrors({ name, error }: { name: string; error: ApiError }) {
  const rows = lineErrors(error.details);
  return (
    <div class="error-box stack" role="alert">
      <p>
        <strong>{name}</strong>: {error.message}. Nothing from this file was stored: fix the lines below and upload it
        again.
      </p>
      {rows.length >= MAX_REPORTED_LINES && (
        <p>The server lists the first {MAX_REPORTED_LINES} bad lines; there may be more.</p>
      )}
      {rows.length > 0 && (
        <TableRegion label={`Bad lines in ${name}`}>
          <TableHead columns={['Line', 'Problem', 'What is wrong']} />
          <tbody class="line-errors">
            {rows.map((r, i) => (
              <tr key={i}>
                <th scope="row">{r.where}</th>
                <td>
                  <code>{r.code}</code>
                </td>
                <td class="message">{r.message}</td>
              </tr>
            ))}
          </tbody>
        </TableRegion>
      )}
    </div>
  );
}
