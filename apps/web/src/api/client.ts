// The one way the web app talks to the server: same-origin fetch with the session cookie,
// JSON in and out, and every failure turned into an ApiError carrying the server's error body.

export const API_BASE = '/api/v1';

export type ApiErrorBody = { code: string; message: string; details?: unknown };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export function buildQuery(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function apiUrl(path: string, query?: Query): string {
  return `${API_BASE}${path}${buildQuery(query)}`;
}

let currentLanguage = 'zh-CN';
/** The server localises its error messages from Accept-Language. */
export function setApiLanguage(language: string): void {
  currentLanguage = language;
}

// Paths whose 401 means "wrong password", not "session expired".
const NO_REDIRECT_ON_401 = ['/auth/login', '/me/password'];

function redirectToLogin(): void {
  const { pathname, search } = window.location;
  if (pathname === '/login') return;
  const next = encodeURIComponent(pathname + search);
  window.location.assign(`/login?next=${next}`);
}

type RequestOptions = { query?: Query; body?: unknown; signal?: AbortSignal; form?: FormData };

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLanguage };
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form; // the browser sets the multipart boundary
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'include',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, { code: 'network.unreachable', message: 'Network error' });
  }

  if (response.status === 401 && !NO_REDIRECT_ON_401.includes(path)) {
    redirectToLogin();
  }

  if (!response.ok) {
    throw new ApiError(response.status, await readErrorBody(response));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function readErrorBody(response: Response): Promise<ApiErrorBody> {
  try {
    const data = (await response.json()) as { error?: Partial<ApiErrorBody> };
    if (data?.error?.code) {
      return { code: data.error.code, message: data.error.message ?? data.error.code, details: data.error.details };
    }
  } catch {
    // not JSON: fall through to a generic error
  }
  return { code: `http.${response.status}`, message: response.statusText || `HTTP ${response.status}` };
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => apiRequest<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: Query) => apiRequest<T>('POST', path, { body, query }),
  put: <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => apiRequest<T>('DELETE', path),
  upload: <T>(path: string, form: FormData, query?: Query) => apiRequest<T>('POST', path, { form, query }),
};
