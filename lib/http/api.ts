import "server-only";
import { authenticateApiKey, type Principal } from "@/lib/auth/api-keys";
import type { KeyScope } from "@/db/schema";
import { KeyScopeDenied } from "@/lib/errors";
import type * as z from "zod";
import { accountOfUser } from "@/lib/auth/session";
import { newId } from "@/lib/ids";
import { enforceRateLimit, type LimitKind } from "@/lib/rate-limit/api-limits";
import { clientAddress } from "./client-address";
import { ApiError, toApiError } from "./errors";
import { logger, type Logger } from "./logger";
import { publicOrigin } from "./origin";
import { sessionUserId } from "./session";

// The one wrapper around every /v1 route handler: request id, authentication, error mapping
// and one log line per request. A handler only parses, calls lib/, and responds.

/** "none": public. "key-or-session": an API key, or the dashboard's session cookie. */
type AuthMode = "none" | "key-or-session";

/** Methods that change nothing, and so need no proof of origin with a cookie. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type ApiContext<A extends AuthMode, P> = {
  request: Request;
  requestId: string;
  params: P;
  /** Where clients reach this server, for absolute URLs in answers. */
  origin: string;
  principal: A extends "none" ? null : Principal;
  log: Logger;
};

type RouteSegment<P> = { params: Promise<P> };

export function api<P extends Record<string, string | string[]> = Record<string, never>, A extends AuthMode = AuthMode>(
  handler: (context: ApiContext<A, P>) => Promise<Response>,
  /**
   * `limit`: which allowance the request spends (default: reads, or per address when public).
   * `scope`: what an API key needs for it (default: `read` to read, `generate` to change anything).
   */
  options: { auth: A; limit?: LimitKind; scope?: KeyScope },
) {
  return async function route(request: Request, segment: RouteSegment<P>): Promise<Response> {
    const requestId = newId("req");
    const started = performance.now();
    const log = logger.child({ request_id: requestId });
    let principal: Principal | null = null;
    let limitHeaders: Record<string, string> = {};
    let response: Response;
    const url = new URL(request.url);
    let origin = url.origin;
    try {
      origin = publicOrigin(request, url);
      principal = options.auth === "none" ? null : await authenticate(request).catch(async (error: unknown) => {
        // Failed authentication spends the address's allowance: keys cannot be guessed at speed.
        limitHeaders = await enforceRateLimit("public", { address: clientAddress(request.headers) });
        throw error;
      });
      const scope = options.scope ?? (SAFE_METHODS.has(request.method) ? "read" : "generate");
      if (principal?.scopes && !principal.scopes.includes(scope)) throw new KeyScopeDenied(scope);
      const kind = options.limit ?? (principal ? "read" : "public");
      limitHeaders = await enforceRateLimit(kind, principal ?? { address: clientAddress(request.headers) });
      const params = segment?.params ? await segment.params : ({} as P);
      response = await handler({ request, requestId, params, origin, principal, log } as ApiContext<A, P>);
    } catch (error) {
      response = errorResponse(error, requestId, origin, log);
    }
    for (const [name, value] of Object.entries(limitHeaders)) if (!response.headers.has(name)) response.headers.set(name, value);
    response.headers.set("X-Request-Id", requestId);
    if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "no-store");
    log.info(
      {
        method: request.method,
        path: url.pathname,
        status: response.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        account_id: principal?.accountId,
      },
      "request",
    );
    return response;
  };
}

async function authenticate(request: Request): Promise<Principal> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw missingCredentials();
    return authenticateApiKey(match[1]!);
  }

  // The dashboard calls this same API with its session cookie. Route handlers get no CSRF
  // protection from Auth.js, so a cookie request that changes anything must come from a page
  // of our own origin; a third-party page's request is refused before it does anything.
  const userId = await sessionUserId(request);
  if (!userId) throw missingCredentials();
  if (!SAFE_METHODS.has(request.method) && request.headers.get("origin") !== publicOrigin(request)) {
    throw new ApiError(403, "cross_origin_request", "Requests authenticated by the session cookie must come from this site's own pages.");
  }
  const account = await accountOfUser(userId);
  if (!account) throw missingCredentials();
  return {
    accountId: account.id,
    apiKeyId: null,
    lifetimeDepositsMicros: account.lifetimeDepositsMicros,
    tierOverride: account.tierOverride === null ? null : { tier: account.tierOverride, until: account.tierOverrideUntil },
  };
}

const missingCredentials = () =>
  new ApiError(401, "invalid_api_key", "Pass your API key in the Authorization header: `Authorization: Bearer esk_...`.", {
    headers: { "WWW-Authenticate": 'Bearer realm="easel"' },
  });

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: init.headers });
}

/**
 * A JSON answer typed by its response schema — the one the OpenAPI document shows for it — so a
 * body that drifts from the document fails to compile.
 */
export function reply<S extends z.ZodType>(_schema: S, body: z.output<S>, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return json(body, init);
}

function errorResponse(error: unknown, requestId: string, origin: string, log: Logger): Response {
  const known = toApiError(error, origin);
  if (known) return json(known.toJSON(), { status: known.status, headers: known.headers });
  // Anything else is our bug: logged in full, answered without a stack.
  log.error({ err: error }, "unhandled error");
  return json(
    {
      error: {
        type: "api_error",
        code: "internal_error",
        message: `Something went wrong on our side. Quote request id ${requestId} if it persists.`,
      },
    },
    { status: 500 },
  );
}
