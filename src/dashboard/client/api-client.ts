/**
 * The browser side of the dashboard's JSON API: typed fetches that turn an error answer into an
 * `ApiRequestError` carrying the server's message (and, for invalid input, where it sits).
 */
import type { ApiError } from '../dashboard-api.js';

/** An error answer of the API, as thrown by {@link getJson} and {@link postJson}. */
export class ApiRequestError extends Error {
  /** The answer's body (`code`, `message`, and `file`/`line`/`item`/`rule` for invalid input). */
  readonly detail: ApiError;

  constructor(detail: ApiError) {
    super(detail.message);
    this.detail = detail;
  }
}

/** GETs `url` and returns its JSON body, or throws with the server's error message. */
export async function getJson<T>(url: string): Promise<T> {
  return answer<T>(await fetch(url, { headers: { Accept: 'application/json' } }));
}

/** POSTs `body` as JSON to `url` and returns the JSON answer, or throws with the server's message. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  return answer<T>(
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

async function answer<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) {
    let detail: ApiError = { code: String(res.status), message: `${res.status} ${res.statusText}` };
    try {
      const body = JSON.parse(text) as Partial<ApiError>;
      if (typeof body.message === 'string')
        detail = { ...body, code: body.code ?? detail.code, message: body.message };
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiRequestError(detail);
  }
  return JSON.parse(text) as T;
}

/** Creates an element with optional text content and attributes. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  return e;
}

/** The element with this id (it is in index.html, so its absence is a bug). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} is missing from the page`);
  return e as T;
}

/** Shows a message in the header's status line (errors in red). */
export function setStatus(message: string, isError = false): void {
  const s = byId('status');
  s.textContent = message;
  s.classList.toggle('error', isError);
}
