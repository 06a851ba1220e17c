import { describe, expect, it } from 'vitest';

import { Api, ApiError } from './client';
import { type UploadProgress, uploadWithProgress, xhrTransport } from './upload';

/** An XMLHttpRequest stand-in that a test answers by hand. */
class FakeXhr {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  sent: unknown = undefined;
  status = 0;
  statusText = '';
  responseText = '';
  aborted = false;
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  send(body: unknown) {
    this.sent = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

function transport() {
  const xhrs: FakeXhr[] = [];
  const progress: UploadProgress[] = [];
  const fetchFn = xhrTransport(
    (p) => progress.push(p),
    () => {
      const x = new FakeXhr();
      xhrs.push(x);
      return x as unknown as XMLHttpRequest;
    },
  );
  return { xhrs, progress, fetchFn };
}

describe('xhrTransport', () => {
  it('sends the body as it is with its headers and reports the bytes sent', async () => {
    const { xhrs, progress, fetchFn } = transport();
    const file = new Blob(['{"text":"a"}\n']);
    const pending = fetchFn('/api/v1/projects/p/items', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-ndjson' },
      body: file,
    });
    const xhr = xhrs[0]!;
    expect([xhr.method, xhr.url, xhr.headers['content-type'], xhr.sent]).toEqual([
      'POST',
      '/api/v1/projects/p/items',
      'application/x-ndjson',
      file,
    ]);
    xhr.progress(5, 13);
    xhr.progress(13, 13);
    xhr.answer(201, { items: 1 });
    const res = await pending;
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ items: 1 });
    expect(progress).toEqual([
      { loaded: 5, total: 13 },
      { loaded: 13, total: 13 },
    ]);
  });

  it('rejects with an AbortError when the signal cancels, before or during the upload', async () => {
    const { xhrs, fetchFn } = transport();
    const controller = new AbortController();
    const pending = fetchFn('/x', { method: 'POST', body: 'x', signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(xhrs[0]!.aborted).toBe(true);
    await expect(fetchFn('/x', { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('uploadWithProgress', () => {
  it('reads an error answer as an ApiError with the per-line details', async () => {
    const { xhrs, fetchFn } = transport();
    // The same path the real upload takes: the client over the XHR transport.
    const pending = new Api(fetchFn).request('POST', '/items', { raw: { body: new Blob(['x']), contentType: 'application/x-ndjson' } });
    xhrs[0]!.answer(422, {
      error: {
        code: 'unprocessable',
        message: '1 of 2 lines are bad; nothing was imported',
        details: [{ field: 'line 2', code: 'invalid_json', message: 'not valid JSON' }],
      },
    });
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(422);
    expect((err as ApiError).forField('line 2')).toBe('not valid JSON');
  });

  it('turns a lost connection into the network error', async () => {
    const original = globalThis.XMLHttpRequest;
    let made: FakeXhr | null = null;
    globalThis.XMLHttpRequest = function () {
      made = new FakeXhr();
      return made;
    } as unknown as typeof XMLHttpRequest;
    try {
      const pending = uploadWithProgress('/items', new Blob(['x']), 'application/x-ndjson', () => {});
      made!.onerror?.();
      const err = await pending.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).isNetwork).toBe(true);
    } finally {
      globalThis.XMLHttpRequest = original;
    }
  });
});
