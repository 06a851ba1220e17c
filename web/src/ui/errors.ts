// Turning a failed request into what a form shows: a message per field the server named, and
// one for the rest.
import { ApiError } from '../api/client';

export interface FormErrors {
  fields: Record<string, string>;
  form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

export function formErrors(err: unknown): FormErrors {
  if (err instanceof ApiError) {
    const fields: Record<string, string> = {};
    for (const d of err.details) fields[d.field] = d.message ?? d.code;
    const named = Object.keys(fields).length > 0;
    return { fields, form: named ? null : err.message };
  }
  return { fields: {}, form: err instanceof Error ? err.message : 'Something went wrong.' };
}
