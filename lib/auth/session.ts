import "server-only";
import { eq } from "drizzle-orm";
import { getToken } from "next-auth/jwt";
import { getDb } from "@/db/client";
import { creditAccounts } from "@/db/schema";
import { rootSecret } from "@/lib/server/secrets";
import { isSessionOpen } from "./sessions";

/**
 * The signed-in user of a request, from the Auth.js session cookie (a JWT encrypted with
 * AUTH_SECRET), or null — also for a token whose session was signed out (sessions.ts). Reads
 * the request itself, so it works in any route handler.
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

/** The user's credit account: its id and lifetime deposits (which set its tier). */
export async function accountOfUser(userId: string): Promise<{ id: string; lifetimeDepositsMicros: bigint } | null> {
  const db = await getDb();
  const [account] = await db
    .select({ id: creditAccounts.id, lifetimeDepositsMicros: creditAccounts.lifetimeDepositsMicros })
    .from(creditAccounts)
    .where(eq(creditAccounts.userId, userId))
    .limit(1);
  return account ?? null;
}
