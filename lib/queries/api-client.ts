// The browser's way to call our own /v1 API: the session cookie authenticates it, and the
// browser's Origin header proves the request comes from our pages. Errors keep the API's shape.

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

export async function apiFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    credentials: "same-origin",
    headers: { accept: "application/json", ...(init.body && typeof init.body === "string" ? { "content-type": "application/json" } : {}), ...init.headers },
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; param?: string } } | null)?.error;
    throw new ApiRequestError(response.status, error?.code ?? "unknown_error", error?.message ?? `Request failed (${response.status})`, error?.param);
  }
  return body as T;
}
