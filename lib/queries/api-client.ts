// The browser's way to call our own /v1 API, typed from the OpenAPI document: `paths` and
// `components` come from lib/queries/openapi.d.ts (`npm run openapi:types`), so a schema change
// the dashboard disagrees with breaks `tsc`. The session cookie authenticates the calls, and the
// browser's Origin header proves they come from our pages. Errors keep the API's shape.
import createClient from "openapi-fetch";
import type { components, paths } from "./openapi";

export type Schemas = components["schemas"];

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

/** Relative URLs: the dashboard calls the server it was served by. */
export const apiClient = createClient<paths>({ baseUrl: "", credentials: "same-origin", headers: { accept: "application/json" } });

/** The data of an answer, or its error as an `ApiRequestError`. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  const body = (error ?? null) as { error?: { code?: string; message?: string; param?: string } } | null;
  throw new ApiRequestError(response.status, body?.error?.code ?? "unknown_error", body?.error?.message ?? `Request failed (${response.status})`, body?.error?.param);
}
