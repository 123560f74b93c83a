/**
 * The one door to the REST API. Auth rides on HttpOnly cookies the script never sees (credentials: 'include');
 * writes carry the CSRF header the server checks. On a 401 the session is refreshed once and the call retried;
 * when the refresh fails too, the app signs out.
 */
export const API = '/api/v1';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Cookie-authenticated writes carry X-Requested-With: a header a cross-site form cannot add, and that a
 * cross-origin script cannot send without passing the server's CORS preflight (the gateway's CsrfGuard).
 */
export function writeHeaders(): Record<string, string> {
  return { 'x-requested-with': 'XMLHttpRequest' };
}

let onSignedOut: () => void = () => undefined;
export function setSignedOutHandler(handler: () => void): void {
  onSignedOut = handler;
}

/** `rejected`: the session is over (sign out). `unreachable`: no answer (keep the session, try later). */
export type RefreshOutcome = 'ok' | 'rejected' | 'unreachable';

let refreshing: Promise<RefreshOutcome> | null = null;
/** One refresh at a time: parallel 401s wait for the same rotation instead of racing (a reuse would revoke). */
export function refreshSession(): Promise<RefreshOutcome> {
  refreshing ??= fetch(`${API}/auth/refresh`, { method: 'POST', credentials: 'include', headers: writeHeaders() })
    .then((r): RefreshOutcome => (r.ok ? 'ok' : r.status >= 400 && r.status < 500 && r.status !== 429 ? 'rejected' : 'unreachable'))
    .catch((): RefreshOutcome => 'unreachable')
    .finally(() => setTimeout(() => (refreshing = null), 0));
  return refreshing;
}

function networkError(): ApiError {
  return new ApiError(0, 'NETWORK', 'No connection to the server');
}

async function toError(response: Response): Promise<ApiError> {
  let code = 'HTTP.' + response.status;
  let message = response.statusText || 'Request failed';
  try {
    const body = await response.json();
    if (body?.code) code = body.code;
    if (body?.message) message = Array.isArray(body.message) ? body.message.join(', ') : body.message;
  } catch {
    // not JSON
  }
  return new ApiError(response.status, code, message);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Sign-in calls: a 401 there is an answer, not an expired session. */
  noRefresh?: boolean;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const send = () =>
    fetch(`${API}${path}`, {
      method,
      credentials: 'include',
      headers: {
        accept: 'application/json',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' ? writeHeaders() : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
  let response = await send().catch(() => Promise.reject(networkError()));
  if (response.status === 401 && !options.noRefresh) {
    const outcome = await refreshSession();
    if (outcome === 'unreachable') throw networkError();
    if (outcome === 'ok') response = await send().catch(() => Promise.reject(networkError()));
    if (response.status === 401) {
      onSignedOut();
      throw await toError(response);
    }
  }
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Multipart upload with progress (fetch has no upload progress; XMLHttpRequest does): an image to `/uploads`, a
 * file or voice message to `/uploads/files` with its `fields` (kind, durationMs).
 */
export function uploadFile<T>(
  file: Blob,
  onProgress: (fraction: number) => void,
  target: { path: '/uploads' | '/uploads/files'; fields?: Record<string, string>; fileName?: string } = { path: '/uploads' },
  retried = false,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API}${target.path}`);
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(writeHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'Upload failed: no connection'));
    xhr.onload = async () => {
      if (xhr.status === 401 && !retried && (await refreshSession()) === 'ok') {
        uploadFile<T>(file, onProgress, target, true).then(resolve, reject);
        return;
      }
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(xhr.status, body?.code ?? 'HTTP.' + xhr.status, body?.message ?? `Upload failed (${xhr.status || 'no answer'})`));
    };
    const form = new FormData();
    // Text fields first: the server reads them beside the file either way, but this keeps the body conventional.
    for (const [name, value] of Object.entries(target.fields ?? {})) form.append(name, value);
    if (target.fileName) form.append('file', file, target.fileName);
    else form.append('file', file);
    xhr.send(form);
  });
}
