// What a refused sign-up means to the person signing up, for the codes they can act on.
import { ApiError } from '../api/client';

export function signUpMessage(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  switch (err.reason ?? err.code) {
    case 'invitation_invalid':
      return 'This invitation is not valid any more (used, withdrawn or expired). Ask the operator for a new one.';
    case 'email_taken':
      return 'An account with this e-mail exists. Sign in instead.';
    case 'signup_closed':
      return 'Sign-up is closed on this instance.';
    default:
      return null;
  }
}
