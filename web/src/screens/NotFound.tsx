import type { Role } from '../api/types';
import { homeFor } from '../app/session';

export function NotFound({ role }: { role: Role }) {
  return (
    <section class="page">
      <h1>Nothing here</h1>
      <p>This page does not exist, or your account cannot open it.</p>
      <p>
        <a href={homeFor(role)}>Go to your start page</a>
      </p>
    </section>
  );
}
