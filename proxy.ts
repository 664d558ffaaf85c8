// Runs before the routes. For the /v1 API: a path that is not valid percent-encoded UTF-8
// (`/v1/jobs/%ff`) is answered here, in the API's error shape — Next.js would otherwise fail to
// decode it into route params and answer a plain-text error. The rest of the API is not behind
// sign-in: it answers 401 in its own error shape.
// For the dashboard: signed-out visitors are sent to sign-in and back afterwards (Auth.js's
// `authorized` callback in auth.config.ts decides; callbackUrl is a same-origin path).
import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextMiddleware, type NextRequest } from "next/server";
import { authConfig } from "./auth.config";

const { auth } = NextAuth(authConfig);

export default function proxy(request: NextRequest, event: NextFetchEvent) {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/v1/")) return undecodable(pathname) ? invalidPath() : NextResponse.next();
  // Auth.js's `auth` is itself a middleware when called with the request.
  return (auth as unknown as NextMiddleware)(request, event);
}

function undecodable(pathname: string): boolean {
  try {
    for (const segment of pathname.split("/")) decodeURIComponent(segment);
    return false;
  } catch {
    return true;
  }
}

function invalidPath() {
  return NextResponse.json(
    { error: { type: "invalid_request_error", code: "invalid_path", message: "The path is not valid percent-encoded UTF-8." } },
    { status: 400, headers: { "Cache-Control": "no-store", "X-Request-Id": `req_${crypto.randomUUID().replace(/-/g, "")}` } },
  );
}

export const config = {
  // Under /v1 only paths with a percent sign, the only ones that can fail to decode: running the
  // proxy costs every request it matches (a third of a route's throughput, in bench:api).
  matcher: ["/v1/:path(.*%.*)", "/compose/:path*", "/gallery/:path*", "/billing/:path*", "/keys/:path*", "/webhooks/:path*"],
};
