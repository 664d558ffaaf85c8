import "server-only";
import { getToken } from "next-auth/jwt";
import { rootSecret } from "@/lib/server/secrets";

/**
 * The signed-in user of a request, from the Auth.js session cookie (a JWT encrypted with
 * AUTH_SECRET), or null. Reads the request itself, so it works in any route handler.
 */
export async function sessionUserId(request: Request): Promise<string | null> {
  const token = await getToken({
    req: request,
    secret: rootSecret(),
    secureCookie: new URL(request.url).protocol === "https:",
  });
  return typeof token?.sub === "string" ? token.sub : null;
}
