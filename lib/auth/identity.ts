import "server-only";
import { CredentialsSignin } from "next-auth";
import type { AdapterUser } from "next-auth/adapters";
import { authAccounts, sessions, users, verificationTokens } from "@/db/schema";
import { createUser, findUserByEmail } from "@/lib/accounts/users";
import { signupCreditMicros } from "@/lib/accounts/signup";
import { hashPassword, verifyPassword } from "./password";
import { recordSignInFailure, recordSignInSuccess, signInWait } from "./sign-in-throttle";

/** Our tables, named for the Auth.js drizzle adapter. */
export const authAdapterTables = {
  usersTable: users,
  accountsTable: authAccounts,
  sessionsTable: sessions,
  verificationTokensTable: verificationTokens,
};

/** A refused sign-in because too many passwords were wrong lately; Auth.js passes `code` on. */
export class SignInThrottled extends CredentialsSignin {
  code = "too_many_attempts";

  constructor(readonly waitSeconds: number) {
    super();
  }
}

// Checked when an email has no password, so that it takes as long as a wrong one would.
let decoyHash: Promise<string> | undefined;

/**
 * The user for an email and password, or null — for any mismatch, the same null, in the same
 * time. Throws SignInThrottled, before looking at the password, while this email or this
 * address has had too many wrong ones (sign-in-throttle.ts) — for unknown emails too.
 */
export async function checkPassword(email: unknown, password: unknown, address: string) {
  if (typeof email !== "string" || typeof password !== "string" || !email || !password) return null;
  const wait = await signInWait({ email, address });
  if (wait > 0) throw new SignInThrottled(wait);
  const found = await findUserByEmail(email);
  const hash = found?.user.passwordHash;
  const matches = await verifyPassword(password, hash ?? (await (decoyHash ??= hashPassword("decoy password"))));
  if (!hash || !matches) {
    await recordSignInFailure({ email, address });
    return null;
  }
  await recordSignInSuccess({ email });
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
