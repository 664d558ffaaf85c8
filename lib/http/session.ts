import "server-only";
import { getToken } from "next-auth/jwt";
import { isSessionOpen } from "@/lib/auth/sessions";
import { rootSecret } from "@/lib/server/secrets";

/**
 * The signed-in user of a request, from the Auth.js session cookie (a JWT encrypted with
 * AUTH_SECRET), or null — also for a token whose session was signed out (lib/auth/sessions.ts).
 * Reads the request itself, so it works in any route handler.
 */
export async function sessionUserId(request: Request): Promise<string | null> {
  const token = await getToken({
    req: request,
    secret: rootSecret(),
    secureCookie: new URL(request.url).protocol === "https:",
  });
  if (typeof token?.sub !== "string" || !(await isSessionOpen(token))) return null;
  return token.sub;
}
