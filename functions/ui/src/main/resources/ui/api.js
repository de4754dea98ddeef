// The API, same origin: the page is served at <api>/ui/, so the API is one level up, whatever the stage prefix.
const API_BASE = new URL('../', window.location.href);
const KEY_ITEM = 'onepoint.adminKey';

/** A refusal or failure, as the API words it: error.code and error.message of its body. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
  toString() {
    return `${this.code}: ${this.message}`;
  }
}

// sessionStorage only: gone with the tab, never written to localStorage, a cookie or a URL
export const session = {
  key: () => window.sessionStorage.getItem(KEY_ITEM),
  signIn: (key) => window.sessionStorage.setItem(KEY_ITEM, key),
  signOut: () => window.sessionStorage.removeItem(KEY_ITEM),
};

/** GET a path of the API (e.g. "members/0001") with the key; resolves to the parsed body or throws ApiError. */
export async function get(path, key = session.key()) {
  let response;
  try {
    response = await fetch(new URL(path, API_BASE), {
      headers: { 'x-api-key': key || '', Accept: 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK_ERROR', 'the API could not be reached', {});
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (response.ok) {
    return body;
  }
  if (body && body.error && body.error.code) {
    throw new ApiError(response.status, body.error.code, body.error.message, body.error.details);
  }
  // not the API's error model (e.g. API Gateway's bare 502): say what came back
  throw new ApiError(response.status, `HTTP_${response.status}`, (body && body.message) || response.statusText || 'no answer', {});
}

export const seg = (value) => encodeURIComponent(value);
