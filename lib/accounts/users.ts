import "server-only";
import { eq } from "drizzle-orm";
import { getDb, withTransaction } from "@/db/client";
import { creditAccounts, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { recordMovement } from "@/lib/billing/ledger";
import { AlreadyExists, invalidInput } from "@/lib/errors";
import { queueEmail } from "@/lib/email/outbox";
import { newId } from "@/lib/ids";
import { toUsd } from "@/lib/money";

export const MIN_PASSWORD_LENGTH = 8;
/** scrypt takes any length; a cap keeps a megabyte "password" from costing a megabyte of work. */
export const MAX_PASSWORD_LENGTH = 256;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Throws a 400 naming the problem with a new account's email or password. */
export function assertValidCredentials(email: string, password?: string): void {
  if (!EMAIL.test(normaliseEmail(email)) || email.length > 254) {
    throw invalidInput("invalid_email", "Enter a valid email address.", "email");
  }
  if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) {
    throw invalidInput("weak_password", `Use a password of at least ${MIN_PASSWORD_LENGTH} characters.`, "password");
  }
  if (password !== undefined && password.length > MAX_PASSWORD_LENGTH) {
    throw invalidInput("weak_password", `Use a password of at most ${MAX_PASSWORD_LENGTH} characters.`, "password");
  }
}

/**
 * Creates a user with their credit account and, when `creditMicros` > 0, the signup credit as
 * a ledger adjustment — all in one transaction, so a user never exists without an account —
 * and queues the welcome email.
 */
export async function createUser(input: {
  email: string;
  password?: string;
  name?: string;
  creditMicros?: bigint;
  creditDescription?: string;
  /** For OAuth sign-ups: what the provider vouched for. */
  emailVerified?: Date | null;
  image?: string | null;
}) {
  const email = normaliseEmail(input.email);
  assertValidCredentials(email, input.password);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);

  return withTransaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        id: newId("usr"),
        email,
        name: input.name ?? null,
        passwordHash,
        emailVerified: input.emailVerified ?? null,
        image: input.image ?? null,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!user) throw new AlreadyExists("email_taken", "An account with this email already exists.", "email");

    const [account] = await tx.insert(creditAccounts).values({ id: newId("acct"), userId: user.id }).returning();
    const credit = input.creditMicros ?? 0n;
    await queueEmail(tx, { accountId: account!.id, kind: "welcome", data: { creditUsd: toUsd(credit) } });
    if (credit > 0n) {
      await recordMovement(tx, {
        accountId: account!.id,
        type: "adjustment",
        amountMicros: credit,
        description: input.creditDescription ?? "Signup credit",
      });
    }
    return { user, account: account! };
  });
}

/** A user and their credit account, found by email. */
export async function findUserByEmail(email: string) {
  const db = await getDb();
  const [row] = await db
    .select({ user: users, account: creditAccounts })
    .from(users)
    .innerJoin(creditAccounts, eq(creditAccounts.userId, users.id))
    .where(eq(users.email, normaliseEmail(email)));
  return row ?? null;
}
