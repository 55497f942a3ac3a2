// REST calls to /api/v1 with the session cookie. Unsafe methods send the CSRF token from the
// csrftoken cookie (the page view sets it). Errors become ApiError with the API's one error
// shape: {error: {code, message, fields, current?}}.

import { currentLanguage, t } from "./lib/i18n.js";
import { snapshots } from "./offline/device.js";

const BASE = "/api/v1/";

/** "Try again in 9 minutes." from a Retry-After of seconds. */
export function retryText(seconds) {
  if (!seconds || seconds <= 60) return t("api.try_again_in_a_minute");
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return t("api.try_again_in_minutes_minutes", { minutes });
  return t("api.try_again_in_value_hours", { value: Math.round(minutes / 60) });
}

export class ApiError extends Error {
  constructor(status, body, retryAfter = null) {
    const error = (body && body.error) || {};
    super(
      status === 429
        ? t("api.too_many_attempts_retryafter", { retryAfter: retryText(retryAfter) })
        : error.message || t("api.request_failed_status", { status }),
    );
    this.status = status;
    this.code = error.code || (status === 0 ? "network" : "error");
    this.fields = error.fields || {};
    this.current = error.current; // 409 version conflicts carry the server's current state
  }
}

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** `body`: JSON-able, or FormData (a multipart upload: the browser sets its Content-Type).
 *  `idempotencyKey`: sent as Idempotency-Key, so a retried write creates nothing twice. */
export async function request(method, path, body, { idempotencyKey = null } = {}) {
  // The chosen language, so the API's error messages are in it too.
  const headers = { Accept: "application/json", "Accept-Language": currentLanguage() };
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers["Content-Type"] = "application/json";
  if (!["GET", "HEAD", "OPTIONS"].includes(method)) headers["X-CSRFToken"] = csrfToken();
  let response;
  try {
    response = await fetch(path.startsWith("/") ? path : BASE + path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined || multipart ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { error: { message: t("api.network_error_check_your_connection") } });
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new ApiError(response.status, data, Number(response.headers.get("Retry-After")));
    if (error.status === 401 || error.code === "not_authenticated") {
      // The session ended (signed out elsewhere, expired): the app goes back to sign in.
      window.dispatchEvent(new CustomEvent("planpal:unauthenticated"));
    }
    throw error;
  }
  return data;
}

/** A GET whose answer is kept on this device; with no network, the kept one answers (and
 *  "planpal:offline-copy" tells the page it shows a saved copy). */
async function getKept(path) {
  try {
    const data = await request("GET", path);
    if (snapshots.keeps(path)) snapshots.save(path, data);
    return data;
  } catch (error) {
    if (error.status !== 0) throw error;
    const kept = await snapshots.load(path);
    if (!kept) throw error;
    const detail = { path, savedAt: kept.savedAt };
    window.dispatchEvent(new CustomEvent("planpal:offline-copy", { detail }));
    return kept.data;
  }
}

export const api = {
  get: (path) => getKept(path),
  post: (path, body) => request("POST", path, body),
  put: (path, body) => request("PUT", path, body),
  patch: (path, body) => request("PATCH", path, body),
  del: (path) => request("DELETE", path),
  /** The URL of a GET the browser opens itself (a download link), e.g. an .ics file. */
  href: (path) => BASE + path,
};

/** A random id for idempotent retries (crypto.randomUUID needs a secure context). */
export function newClientId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
