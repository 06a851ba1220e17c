import { describe, expect, it } from 'vitest';

import type { Credential } from '../api/experts';
import { canWithdraw, claimLine, credentialRequest, EMPTY_CREDENTIAL, evidenceProblem, evidenceView, statusLine } from './credentials';

const BASE: Credential = {
  id: 'crd_1',
  kind: 'degree',
  title: 'Doctorate',
  issuer: 'ETH Zürich',
  domain: 'physics',
  level: 4,
  level_name: 'PhD',
  identifier_kind: null,
  identifier: null,
  issued_at: null,
  expires_at: null,
  status: 'pending',
  evidence: null,
  submitted_at: '2026-11-30T09:00:00Z',
  decision: null,
  created_at: '2026-11-30T08:00:00Z',
  updated_at: '2026-11-30T09:00:00Z',
};

describe('credential lines', () => {
  it('says what is claimed', () => {
    expect(claimLine(BASE, (n) => (n === 'physics' ? 'Physics' : n))).toBe('Degree · Physics, PhD · ETH Zürich');
    expect(claimLine({ ...BASE, domain: null, level_name: null, issuer: null, kind: 'employment' }, (n) => n)).toBe('Employment');
  });

  it('gives the rejection with who decided and the reason', () => {
    const rejected: Credential = {
      ...BASE,
      status: 'rejected',
      decision: { outcome: 'rejected', by: { id: 'usr_o', name: 'Olga Operator' }, at: '2026-12-01T12:00:00Z', reason: 'The scan is unreadable.' },
    };
    expect(statusLine(rejected)).toMatch(/^Rejected by Olga Operator on .+: The scan is unreadable\.$/);
    expect(statusLine({ ...BASE, status: 'draft' })).toBe('Upload the evidence to send it for review.');
  });

  it('lets only a draft or pending credential be withdrawn', () => {
    expect(canWithdraw(BASE)).toBe(true);
    expect(canWithdraw({ ...BASE, status: 'draft' })).toBe(true);
    expect(canWithdraw({ ...BASE, status: 'verified' })).toBe(false);
    expect(canWithdraw({ ...BASE, status: 'rejected' })).toBe(false);
  });
});

describe('credentialRequest', () => {
  it('leaves out blank optional fields', () => {
    expect(credentialRequest({ ...EMPTY_CREDENTIAL, title: ' Bar admission ' })).toEqual({ kind: 'degree', title: 'Bar admission' });
  });

  it('sends the level as a number and the identifier only with its kind', () => {
    expect(
      credentialRequest({
        ...EMPTY_CREDENTIAL,
        kind: 'licence',
        title: 'Bar',
        domain: 'law',
        level: '5',
        identifier_kind: 'licence_number',
        identifier: ' NY-12345 ',
        expires_at: '2030-01-01',
      }),
    ).toEqual({ kind: 'licence', title: 'Bar', domain: 'law', level: 5, identifier_kind: 'licence_number', identifier: 'NY-12345', expires_at: '2030-01-01' });
    expect(credentialRequest({ ...EMPTY_CREDENTIAL, title: 'x', identifier: 'stray' })).toEqual({ kind: 'degree', title: 'x' });
  });
});

describe('evidence files', () => {
  it('refuses empty, oversized and unsupported files before sending', () => {
    expect(evidenceProblem({ size: 0, type: 'application/pdf' })).toBe('The file is empty.');
    expect(evidenceProblem({ size: 10, type: 'text/plain' })).toBe('Choose a PDF, PNG, JPEG or WebP file.');
    expect(evidenceProblem({ size: 11, type: 'image/png' }, 10)).toBe('The file is larger than 10 bytes.');
    expect(evidenceProblem({ size: 2 * 1024 * 1024, type: 'image/jpeg' })).toBeNull();
  });

  it('shows a PDF in a frame and an image inline', () => {
    expect(evidenceView('application/pdf')).toBe('pdf');
    expect(evidenceView('image/webp')).toBe('image');
    expect(evidenceView('application/zip')).toBe('other');
  });
});
