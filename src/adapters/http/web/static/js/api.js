// The REST API from the browser: the token (localStorage with "remember me", else
// sessionStorage), requests with the bearer header, API.md error bodies turned into
// ApiError with the server's message, and the redirects to /login and /setup.

import { t } from './i18n.js';

const KEY = 'aniworld.token';

/** A failed request; `message` is the API's message. */
export class ApiError extends Error {
  constructor(status, body) {
    const text = (body && (body.message || body.detail)) || t('error.http', { status });
    super(text);
    this.status = status;
    this.body = body;
  }
}

/** The stored token, if one is there and not expired. */
export function token() {
  for (const store of [localStorage, sessionStorage]) {
    const raw = store.getItem(KEY);
    if (!raw) continue;
    try {
      const saved = JSON.parse(raw);
      if (saved.access_token && !(Date.parse(saved.expires_at) <= Date.now())) return saved.access_token;
    } catch { /* a broken entry is dropped below */ }
    store.removeItem(KEY);
  }
  return null;
}

/** Keeps the login's token: for good with `remember`, else for this browser session. */
export function saveToken(login, remember) {
  clearToken();
  const store = remember ? localStorage : sessionStorage;
  store.setItem(KEY, JSON.stringify({ access_token: login.access_token, expires_at: login.expires_at }));
}

export function clearToken() {
  localStorage.removeItem(KEY);
  sessionStorage.removeItem(KEY);
}

/** A same-origin path to come back to after logging in, or '/'. */
export function safeNext(value) {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

/** Goes to the login page, remembering where the user was. */
export function toLogin() {
  const here = location.pathname + location.search + location.hash;
  location.assign(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`);
}

/**
 * One request. `body` is sent as JSON. A 401 (other than for the login itself) clears the
 * token and goes to /login; any other failure throws ApiError with the API's message.
 */
export async function api(method, path, body, options) {
  return (await request(method, path, body, options)).data;
}

/** As `api`, answering `{ data, headers }` for the callers that read a header of the answer. */
export async function request(method, path, body, { on401 = 'login' } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { message: `${t('error.network')} (${e.message})` });
  }
  const text = res.status === 204 ? '' : await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { message: text }; }
  }
  if (res.status === 401 && on401 === 'login') {
    clearToken();
    toLogin();
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return { data, headers: res.headers };
}

export const get = (path) => api('GET', path);
export const post = (path, body = {}) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path, body) => api('DELETE', path, body);

/**
 * For pages behind the login: sends the user to /setup when no password is set and to
 * /login without a valid token. Resolves true when the page may go on.
 */
export async function requireLogin() {
  const status = await api('GET', '/api/auth/status', undefined, { on401: 'throw' });
  if (!status.configured) {
    location.replace('/setup');
    return false;
  }
  if (!status.authenticated) {
    clearToken();
    toLogin();
    return false;
  }
  return true;
}
