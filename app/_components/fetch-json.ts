/** The browser side of the JSON API: the parsed answer, or the server's message for a failure. */
export type FetchResult<T> = { ok: true; data: T } | { ok: false; message: string };

export async function fetchJson<T>(url: string, method: string, body?: unknown): Promise<FetchResult<T>> {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = (await res.json().catch(() => null)) as (T & { message?: string }) | null;
    if (!res.ok) return { ok: false, message: data?.message ?? `The server answered ${res.status}.` };
    return { ok: true, data: data as T };
  } catch {
    return { ok: false, message: "The server could not be reached." };
  }
}
