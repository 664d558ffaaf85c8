import "server-only";
import type { AdapterUser } from "next-auth/adapters";
import { authAccounts, sessions, users, verificationTokens } from "@/db/schema";
import { createUser, findUserByEmail } from "@/lib/accounts/users";
import { signupCreditMicros } from "@/lib/accounts/signup";
import { verifyPassword } from "./password";

/** Our tables, named for the Auth.js drizzle adapter. */
export const authAdapterTables = {
  usersTable: users,
  accountsTable: authAccounts,
  sessionsTable: sessions,
  verificationTokensTable: verificationTokens,
};

/** The user for an email and password, or null — for any mismatch, the same null. */
export async function checkPassword(email: unknown, password: unknown) {
  if (typeof email !== "string" || typeof password !== "string" || !email || !password) return null;
  const found = await findUserByEmail(email);
  if (!found?.user.passwordHash || !(await verifyPassword(password, found.user.passwordHash))) return null;
  return { id: found.user.id, email: found.user.email, name: found.user.name };
}

/**
 * A user who arrives through GitHub or Google: created by our createUser, so that they get a
 * credit account and the signup credit in the same transaction as the user itself.
 */
export async function createOAuthUser(data: AdapterUser): Promise<AdapterUser> {
  const { user } = await createUser({
    email: data.email,
    name: data.name ?? undefined,
    creditMicros: signupCreditMicros(),
    emailVerified: data.emailVerified,
    image: data.image ?? null,
  });
  return { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerified, image: user.image };
}
