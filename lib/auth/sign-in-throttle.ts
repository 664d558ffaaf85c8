import "server-only";
import { normaliseEmail } from "@/lib/accounts/users";
import { forgive, spend, spent, type Limit } from "@/lib/rate-limit/limiter";

// Password guessing, slowed down: failed sign-ins are counted per account (the email as typed,
// normalised — whether or not an account has it, so a refusal never tells the two apart) and
// per client address. Once either allowance is spent, sign-in is refused before the password
// is even checked, until the window passes; a correct password clears its account's count.
// Counted in the rate-limit store (Postgres when DATABASE_URL is set, so every instance shares it).

const WINDOW_SECONDS = 15 * 60;
/** Wrong passwords an email may receive in 15 minutes. */
export const ACCOUNT_FAILURES: Limit = { points: 10, durationSeconds: WINDOW_SECONDS };
/** Wrong passwords one address may send in 15 minutes, across every email it tries. */
export const ADDRESS_FAILURES: Limit = { points: 50, durationSeconds: WINDOW_SECONDS };

const keys = (input: { email: string; address: string }) => ({ account: normaliseEmail(input.email), address: input.address });

/** Seconds until this email may be tried from this address again; 0 when it may be now. */
export async function signInWait(input: { email: string; address: string }): Promise<number> {
  const key = keys(input);
  const [account, address] = await Promise.all([
    spent("signin-account", ACCOUNT_FAILURES, key.account),
    spent("signin-address", ADDRESS_FAILURES, key.address),
  ]);
  const waits = [
    account.points >= ACCOUNT_FAILURES.points ? account.resetMs : 0,
    address.points >= ADDRESS_FAILURES.points ? address.resetMs : 0,
  ];
  return Math.ceil(Math.max(...waits) / 1000);
}

export async function recordSignInFailure(input: { email: string; address: string }): Promise<void> {
  const key = keys(input);
  await Promise.all([
    spend("signin-account", ACCOUNT_FAILURES, key.account),
    spend("signin-address", ADDRESS_FAILURES, key.address),
  ]);
}

export async function recordSignInSuccess(input: { email: string }): Promise<void> {
  await forgive("signin-account", ACCOUNT_FAILURES, normaliseEmail(input.email));
}

/** The words a throttled sign-in is answered with, wherever it came from. */
export function throttledMessage(waitSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(waitSeconds / 60));
  return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
