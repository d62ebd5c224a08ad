// api.js — the client of the aib HTTP API (docs/api.md). The API token lives in sessionStorage
// (gone when the tab closes) and goes with every call as a Bearer token; a 401 sends the user
// back to sign-in. Errors carry the API's {error:{status,code,field,message}}.

const KEY = 'aib.token';

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || '';
    this.field = e.field || '';
  }
  /** "field: message" for display. */
  describe() {
    return this.field ? `${this.field}: ${this.message}` : this.message;
  }
}

export function token() {
  return sessionStorage.getItem(KEY) || '';
}

export function setToken(t) {
  if (t) sessionStorage.setItem(KEY, t);
  else sessionStorage.removeItem(KEY);
}

let onUnauthorized = () => {};
/** Called (once per 401) so the app can return to sign-in. */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/** Calls the API. body (an object) is sent as JSON. Resolves to the parsed JSON answer. */
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  const t = opts.token !== undefined ? opts.token : token();
  if (t) headers.Authorization = `Bearer ${t}`;
  const init = { method, headers, cache: 'no-store', credentials: 'omit', signal: opts.signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.quiet401) onUnauthorized();
    throw new ApiError(res.status, data);
  }
  return data;
}

/** Query string from an object, skipping empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {}))
    if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
}
