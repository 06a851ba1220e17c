import { describe, expect, it } from 'vitest';

import { identifierUrl, verifyErrors, verifyFormFor, verifyRequest } from './vetting';

describe('verifying a credential', () => {
  it('offers the grant the credential proves', () => {
    const f = verifyFormFor({ domain: 'medicine', level: 5, expires_at: '2032-01-01T00:00:00Z' }, 'physics');
    expect(f).toEqual({ expires_at: '2032-01-01', grant: true, domain: 'medicine', level: '5', reviewer: false });
    expect(verifyRequest(f, { expires_at: '2032-01-01T00:00:00Z' })).toEqual({ grant: { domain: 'medicine', level: 5, reviewer: false } });
  });

  it('sends a changed expiry, and no grant when none is chosen', () => {
    const f = verifyFormFor({ domain: null, level: null, expires_at: null }, 'physics');
    expect(f.grant).toBe(false);
    expect(f.domain).toBe('physics');
    expect(verifyRequest({ ...f, expires_at: '2030-06-30' }, { expires_at: null })).toEqual({ expires_at: '2030-06-30' });
    expect(verifyRequest(f, { expires_at: null })).toEqual({});
  });

  it('puts the server’s grant errors on the form’s fields', () => {
    expect(verifyErrors({ 'grant.domain': 'unknown', 'grant.level': 'out_of_range', expires_at: 'past' })).toEqual({
      domain: 'unknown',
      level: 'out_of_range',
      expires_at: 'past',
    });
  });
});

describe('identifierUrl', () => {
  it('links a well-formed ORCID iD and nothing else', () => {
    expect(identifierUrl('orcid', '0000-0002-1825-0097')).toBe('https://orcid.org/0000-0002-1825-0097');
    expect(identifierUrl('orcid', '0000-0002-1825-009')).toBeNull();
    expect(identifierUrl('licence_number', 'NY-5123456')).toBeNull();
    expect(identifierUrl('orcid', null)).toBeNull();
  });
});
