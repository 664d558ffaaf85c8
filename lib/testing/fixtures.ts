// Builders for tests: a funded account with an API key, and requests to the route handlers.
import { randomUUID } from "node:crypto";
import { createUser } from "@/lib/accounts/users";
import { createApiKey } from "@/lib/auth/api-keys";
import { parseUsd } from "@/lib/money";
import { assertDocumented } from "./openapi-check";

export async function createTestAccount(options: { creditUsd?: string } = {}) {
  const credit = parseUsd(options.creditUsd ?? "10");
  if (credit === null) throw new Error(`Bad test credit ${options.creditUsd}`);
  const { user, account } = await createUser({
    email: `test-${randomUUID()}@example.test`,
    creditMicros: credit,
    creditDescription: "Test credit",
  });
  const { key, secret } = await createApiKey({ accountId: account.id, name: "test" });
  return { user, account, key, secret, principal: { accountId: account.id, apiKeyId: key.id, lifetimeDepositsMicros: 0n } };
}

type RequestOptions = {
  method?: string;
  key?: string;
  body?: unknown;
  /** A raw body, sent as is. */
  rawBody?: string;
  headers?: Record<string, string>;
};

/** A Request as a client would send it to the app at http://localhost:3000. */
export function apiRequest(path: string, options: RequestOptions = {}): Request {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  return new Request(`http://localhost:3000${path}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
}

type RouteHandler<P> = (request: Request, segment: { params: Promise<P> }) => Promise<Response>;

/**
 * Calls a route handler as Next.js would and reads its JSON answer, after checking the answer
 * against the OpenAPI document (status, required headers, body schema): every route test keeps
 * the document true.
 */
export async function call<P extends Record<string, string | string[]>>(
  handler: RouteHandler<P>,
  request: Request,
  params: P = {} as P,
) {
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  const body: any = text && response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text || null;
  assertDocumented(request, response, body);
  return { status: response.status, headers: response.headers, body };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
