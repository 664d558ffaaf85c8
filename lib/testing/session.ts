// A real Auth.js session cookie for a user, made with the library's own encoder and our secret,
// for tests that call route handlers the way the signed-in dashboard does.
import { encode } from "next-auth/jwt";
import { rootSecret } from "@/lib/server/secrets";

const COOKIE = "authjs.session-token"; // the name Auth.js uses on http://

export async function sessionCookie(user: { id: string; email: string }): Promise<string> {
  const token = await encode({ token: { sub: user.id, email: user.email }, secret: rootSecret(), salt: COOKIE });
  return `${COOKIE}=${token}`;
}
