import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { signUpMessage } from './signup';

describe('signUpMessage', () => {
  it('explains the refusals a person can act on, by code', () => {
    expect(signUpMessage(new ApiError(404, 'not_found', 'x', 'invitation_invalid'))).toMatch(/^This invitation is not valid/);
    expect(signUpMessage(new ApiError(409, 'conflict', 'x', 'email_taken'))).toMatch(/Sign in instead/);
    expect(signUpMessage(new ApiError(403, 'permission_denied', 'x', 'signup_closed'))).toBe('Sign-up is closed on this instance.');
  });

  it('leaves other errors to the server’s message', () => {
    expect(signUpMessage(new ApiError(400, 'invalid_argument', 'x'))).toBeNull();
    expect(signUpMessage(new Error('x'))).toBeNull();
  });
});
