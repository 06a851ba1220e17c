import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { formErrors } from './errors';

describe('formErrors', () => {
  it('puts each named field next to its control', () => {
    const e = new ApiError(400, 'invalid_argument', 'bad', undefined, [
      { field: 'email', code: 'invalid', message: 'expected an address' },
      { field: 'password', code: 'too_short' },
    ]);
    expect(formErrors(e)).toEqual({ fields: { email: 'expected an address', password: 'too_short' }, form: null });
  });
  it('shows an error without fields for the whole form', () => {
    const e = new ApiError(409, 'conflict', 'a user with this e-mail exists', 'email_taken');
    expect(formErrors(e)).toEqual({ fields: {}, form: 'a user with this e-mail exists' });
    expect(formErrors(new Error('offline')).form).toBe('offline');
  });
});
