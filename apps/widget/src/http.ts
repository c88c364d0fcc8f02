// JSON over fetch to the widget API (public, authenticated by the x-visitor-token header; no
// cookies, so the host page's origin never matters beyond CORS).

/** A refused or failed call: HTTP status (0 when the network failed) and the API's error code. */
export type ApiError = Error & { status: number; code: string };

export function apiError(status: number, code: string, message: string): ApiError {
  return Object.assign(new Error(message), { status, code });
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof Error && typeof (e as ApiError).status === 'number' && typeof (e as ApiError).code === 'string';
}

export type RequestOptions = { method?: 'GET' | 'POST'; body?: unknown; token?: string | null };
export type RequestJson = <T>(path: string, options?: RequestOptions) => Promise<T>;

export function createRequestJson(apiBase: string, fetchImpl: typeof fetch): RequestJson {
  return async <T>(path: string, options: RequestOptions = {}): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers['x-visitor-token'] = options.token;
    let res: Response;
    try {
      res = await fetchImpl(apiBase + path, {
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'omit',
        mode: 'cors',
      });
    } catch {
      throw apiError(0, 'network', 'network error');
    }
    const text = await res.text().catch(() => '');
    const data: unknown = text ? safeJson(text) : null;
    if (!res.ok) throw toApiError(res.status, data);
    return data as T;
  };
}

export function toApiError(status: number, data: unknown): ApiError {
  const e = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return apiError(status, typeof e?.code === 'string' ? e.code : `http.${status}`, typeof e?.message === 'string' ? e.message : `HTTP ${status}`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Multipart upload with progress (fetch cannot report upload progress). */
export function uploadFile(url: string, token: string, file: Blob & { name?: string }, onProgress: (fraction: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('x-visitor-token', token);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const data = safeJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(toApiError(xhr.status, data));
    };
    xhr.onerror = () => reject(apiError(0, 'network', 'network error'));
    const form = new FormData();
    form.append('file', file, file.name ?? 'file');
    xhr.send(form);
  });
}
