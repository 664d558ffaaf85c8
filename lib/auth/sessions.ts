import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, gt, lte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { sessions } from "@/db/schema";

// Sessions are JWTs in a cookie (credentials sign-in needs them), and a JWT alone cannot be
// taken back: a copied cookie would read the balance and submit jobs until it expired. So each
// signed-in session also has a row here, named by a random id inside the (encrypted) token, and
// a token is only a session while its row exists. Signing out deletes the row; "sign out
// everywhere" deletes all of the user's. The next request with the old cookie is signed out.

/** How long a session lasts from sign-in (Auth.js's default cookie lifetime). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** Starts a session for a user who just signed in; the id goes into their token. */
export async function openSession(userId: string, now = new Date()): Promise<string> {
  const sessionId = randomBytes(24).toString("base64url");
  const db = await getDb();
  await db.insert(sessions).values({ sessionToken: sessionId, userId, expires: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) });
  return sessionId;
}

/** Whether a token's session is still open: its row exists, for this user, and has not expired. */
export async function isSessionOpen(token: { sid?: unknown; sub?: unknown }, now = new Date()): Promise<boolean> {
  if (typeof token.sid !== "string" || typeof token.sub !== "string") return false;
  const db = await getDb();
  const [row] = await db
    .select({ userId: sessions.userId })
    .from(sessions)
    .where(and(eq(sessions.sessionToken, token.sid), eq(sessions.userId, token.sub), gt(sessions.expires, now)))
    .limit(1);
  return Boolean(row);
}

/** Ends one session (sign-out). */
export async function closeSession(sessionId: string): Promise<void> {
  const db = await getDb();
  await db.delete(sessions).where(eq(sessions.sessionToken, sessionId));
}

/** Ends every session of a user (sign out everywhere); returns how many there were. */
export async function closeAllSessions(userId: string): Promise<number> {
  const db = await getDb();
  const closed = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.sessionToken });
  return closed.length;
}

/** Deletes the rows of sessions that have expired anyway (run by the periodic cleanup). */
export async function deleteExpiredSessions(now = new Date()): Promise<number> {
  const db = await getDb();
  const gone = await db.delete(sessions).where(lte(sessions.expires, now)).returning({ id: sessions.sessionToken });
  return gone.length;
}
