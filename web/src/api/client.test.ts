import { describe, expect, it } from 'vitest';

import { Api, ApiError, type Fetch } from './client';

function answering(status: number, body: unknown, calls: RequestInit[] = []): Fetch {
  return async (_input, init) => {
    calls.push(init ?? {});
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
}

describe('Api', () => {
  it('sends JSON with the cookie and reads JSON back', async () => {
    const calls: RequestInit[] = [];
    const api = new Api(answering(200, { ok: 1 }, calls));
    await expect(api.post('/api/v1/x', { a: 1 })).resolves.toEqual({ ok: 1 });
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.credentials).toBe('same-origin');
    expect(calls[0]!.body).toBe('{"a":1}');
    expect((calls[0]!.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it("turns the server's error into an ApiError with its code, reason and fields", async () => {
    const api = new Api(
      answering(400, {
        error: {
          code: 'invalid_argument',
          message: 'email must be an e-mail address',
          reason: 'bad',
          details: [{ field: 'email', code: 'invalid', message: 'expected an address' }],
        },
      }),
    );
    const err = (await api.post('/api/v1/users', {}).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.code, err.reason, err.message]).toEqual([400, 'invalid_argument', 'bad', 'email must be an e-mail address']);
    expect(err.forField('email')).toBe('expected an address');
    expect(err.forField('name')).toBeUndefined();
  });

  it('keeps the status when the error body is not JSON, and answers 204 with nothing', async () => {
    const api = new Api(async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const err = (await api.get('/x').catch((e: unknown) => e)) as ApiError;
    expect([err.status, err.code, err.message]).toEqual([502, 'http_502', 'Bad Gateway']);
    await expect(new Api(async () => new Response(null, { status: 204 })).delete('/x')).resolves.toBeUndefined();
  });

  it('reports an unreachable server as a network error, but lets an abort through', async () => {
    const offline = new Api(async () => {
      throw new TypeError('Failed to fetch');
    });
    const err = (await offline.get('/x').catch((e: unknown) => e)) as ApiError;
    expect(err.isNetwork).toBe(true);
    const aborted = new Api(async () => {
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(aborted.get('/x')).rejects.toHaveProperty('name', 'AbortError');
  });
});
