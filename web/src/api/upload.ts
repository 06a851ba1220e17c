// Uploads with a progress report. fetch cannot tell how much of a request body has gone out, so
// an upload goes through XMLHttpRequest, wrapped as the one client's transport: the answer and
// its errors are read exactly as for every other call (ApiError with the server's details).
import { Api, type Fetch } from './client';

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes to send in all. */
  total: number;
}

type XhrLike = Pick<
  XMLHttpRequest,
  'open' | 'setRequestHeader' | 'send' | 'abort' | 'status' | 'statusText' | 'responseText' | 'upload'
> & {
  onload: ((this: XMLHttpRequest, ev: ProgressEvent) => unknown) | null;
  onerror: ((this: XMLHttpRequest, ev: ProgressEvent) => unknown) | null;
  onabort: ((this: XMLHttpRequest, ev: ProgressEvent) => unknown) | null;
};

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

function abortError(): DOMException {
  return new DOMException('The upload was cancelled.', 'AbortError');
}

/** A fetch over XMLHttpRequest that reports the request body's progress. */
export function xhrTransport(
  onProgress: (p: UploadProgress) => void,
  makeXhr: () => XhrLike = () => new XMLHttpRequest(),
): Fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal;
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const xhr = makeXhr();
      xhr.open(init.method ?? 'GET', input);
      new Headers(init.headers).forEach((value, name) => xhr.setRequestHeader(name, value));
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress({ loaded: e.loaded, total: e.total });
      };
      xhr.onload = () => {
        const body = NULL_BODY_STATUSES.has(xhr.status) ? null : xhr.responseText;
        resolve(new Response(body, { status: xhr.status, statusText: xhr.statusText }));
      };
      xhr.onerror = () => reject(new TypeError('network error'));
      xhr.onabort = () => reject(abortError());
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
    });
}

/** Sends `body` as it is (a File streams from disk; POST unless `method` says otherwise) and
 * returns the server's JSON answer; throws ApiError for an error answer or a lost connection,
 * and an AbortError when `signal` cancels the upload. */
export function uploadWithProgress<T>(
  path: string,
  body: Blob,
  contentType: string,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
  method: 'POST' | 'PUT' = 'POST',
): Promise<T> {
  const client = new Api(xhrTransport(onProgress));
  return client.request<T>(method, path, { raw: { body, contentType }, signal });
}
