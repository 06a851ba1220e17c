// The one way the app talks to the server: same-origin JSON over fetch, authenticated by the
// session cookie (HttpOnly; the app never sees or stores a secret). Every error the server
// sends has the shape {"error": {"code", "message", "reason"?, "details": [...]}} and becomes
// an ApiError; a network failure becomes an ApiError with status 0 and code "network".

export interface FieldDetail {
  field: string;
  code: string;
  message?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason: string | undefined = undefined,
    readonly details: FieldDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message of the detail naming `field`, if any. */
  forField(field: string): string | undefined {
    const d = this.details.find((x) => x.field === field);
    return d ? (d.message ?? d.code) : undefined;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Raw body (an upload); sent as is with this content type. */
  raw?: { body: BodyInit; contentType: string };
}

async function toApiError(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  let reason: string | undefined;
  let details: FieldDetail[] = [];
  try {
    const json = (await res.json()) as {
      error?: { code?: string; message?: string; reason?: string; details?: FieldDetail[] };
    };
    if (json.error) {
      code = json.error.code ?? code;
      message = json.error.message ?? message;
      reason = json.error.reason;
      details = json.error.details ?? [];
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message, reason, details);
}

export class Api {
  constructor(private readonly fetchFn: Fetch = (i, init) => fetch(i, init)) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    let body: BodyInit | undefined;
    if (options.raw) {
      headers['Content-Type'] = options.raw.contentType;
      body = options.raw.body;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let res: Response;
    try {
      res = await this.fetchFn(path, {
        method,
        headers,
        body,
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection.');
    }
    if (!res.ok) throw await toApiError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { signal });
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body: body ?? {} });
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body: body ?? {} });
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}

export const api = new Api();
