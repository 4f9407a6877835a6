/** The Records view's calls to the console's records API (loopback, with the console token). */

/** An API address with the console token (and any query parameters that are set). */
export function apiUrl(
  path: string,
  token: string,
  params: Record<string, string | null | undefined> = {},
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  q.set('token', token);
  return `${path}?${q}`;
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error((await res.text()) || `HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Sends JSON with the console token; the server's message on failure. */
export async function sendJson<T>(
  path: string,
  token: string,
  method: 'POST' | 'PUT',
  body: unknown,
): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Muster-Token': token },
    body: JSON.stringify(body),
  });
  const reply = (await res.json().catch(() => null)) as (T & { message?: string }) | null;
  if (!res.ok || !reply) throw new Error(reply?.message ?? `HTTP ${res.status}`);
  return reply;
}

/** A file-name-safe piece of text. */
export const safe = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, '_').slice(0, 40);

/** Saves a file from the API: a download in the browser, a save dialog in the desktop app. */
export type Save = (path: string, name: string, params?: Record<string, string>) => void;
