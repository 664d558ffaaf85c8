// A real Auth.js session cookie for a user, made with the library's own encoder and our secret,
// for tests that call route handlers the way the signed-in dashboard does. The session is
// opened as a sign-in would open it (lib/auth/sessions.ts); for a user who does not exist, the
// cookie names a session that does not either.
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { openSession } from "@/lib/auth/sessions";
import { rootSecret } from "@/lib/server/secrets";

const COOKIE = "authjs.session-token"; // the name Auth.js uses on http://

export async function sessionCookie(user: { id: string; email: string }): Promise<string> {
  const sid = await openSession(user.id).catch(() => randomBytes(24).toString("base64url"));
  return sessionCookieFor({ sub: user.id, email: user.email, sid });
}

/** A cookie carrying exactly this token (for tokens a sign-in would never make). */
export async function sessionCookieFor(token: Record<string, unknown>): Promise<string> {
  return `${COOKIE}=${await encode({ token, secret: rootSecret(), salt: COOKIE })}`;
}
