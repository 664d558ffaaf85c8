// Auth.js: sign-in, sign-out, OAuth callbacks and the session endpoint — behind two checks of
// our own: an unknown endpoint is a 404 in the API's error shape, and a password sign-in while
// the throttle is closed is a 429 with Retry-After (lib/auth/sign-in-throttle.ts).
import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { isPasswordSignIn, knownAuthRoute } from "@/lib/auth/auth-routes";
import { signInWait, throttledMessage } from "@/lib/auth/sign-in-throttle";
import { clientAddress } from "@/lib/http/client-address";
import { ApiError } from "@/lib/http/errors";

type Handler = (request: NextRequest) => Promise<Response>;

function guarded(handler: Handler): Handler {
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (!knownAuthRoute(request.method, pathname)) {
      return errorResponse(new ApiError(404, "route_not_found", `There is no ${request.method} ${pathname}.`));
    }
    if (isPasswordSignIn(request.method, pathname)) {
      const email = await emailOf(request);
      const wait = email ? await signInWait({ email, address: clientAddress(request.headers) }) : 0;
      if (wait > 0) {
        return errorResponse(new ApiError(429, "too_many_attempts", throttledMessage(wait), { headers: { "Retry-After": String(wait) } }));
      }
    }
    return inOurShape(await handler(request));
  };
}

/** Auth.js answers a request it cannot read with its own JSON ("Bad request."); ours has a shape. */
async function inOurShape(response: Response): Promise<Response> {
  const json = (response.headers.get("content-type") ?? "").includes("application/json");
  if (response.status < 400 || response.status >= 500 || !json) return response;
  return errorResponse(new ApiError(response.status, "invalid_auth_request", "The sign-in service could not read this request."));
}

/** The email of a sign-in form or JSON body, read from a copy (Auth.js reads the original). */
async function emailOf(request: NextRequest): Promise<string | null> {
  try {
    const copy = request.clone();
    const type = request.headers.get("content-type") ?? "";
    const email = type.includes("application/json")
      ? ((await copy.json()) as { email?: unknown } | null)?.email
      : type.includes("application/x-www-form-urlencoded")
        ? new URLSearchParams(await copy.text()).get("email")
        : null;
    return typeof email === "string" ? email : null;
  } catch {
    return null; // Auth.js answers a body it cannot read itself
  }
}

function errorResponse(error: ApiError): Response {
  return Response.json(error.toJSON(), { status: error.status, headers: { "Cache-Control": "no-store", ...error.headers } });
}

export const GET = guarded(handlers.GET);
export const POST = guarded(handlers.POST);
