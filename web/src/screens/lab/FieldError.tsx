// An error beside a control or group, announced when it appears; nothing when there is none.
export function FieldError({ id, error }: { id?: string; error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p class="field-error" id={id} role="alert">
      {error}
    </p>
  );
}
