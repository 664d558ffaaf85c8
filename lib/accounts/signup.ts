import "server-only";
import { RateLimited } from "@/lib/errors";
import { parseUsd } from "@/lib/money";
import { spend } from "@/lib/rate-limit/limiter";
import { assertValidCredentials, createUser } from "./users";

/**
 * Sign-ups one client address may make in an hour, so that the signup credit cannot be farmed
 * (EASEL_SIGNUPS_PER_HOUR, default 5).
 */
export const signupLimit = () => ({ points: Math.max(1, Number(process.env.EASEL_SIGNUPS_PER_HOUR ?? 5) || 5), durationSeconds: 60 * 60 });

/** The credit a new account starts with: SIGNUP_CREDIT_USD, default $1.00. */
export function signupCreditMicros(): bigint {
  const configured = process.env.SIGNUP_CREDIT_USD;
  const micros = configured === undefined ? 1_000_000n : parseUsd(configured);
  if (micros === null || micros < 0n) throw new Error(`SIGNUP_CREDIT_USD must be a non-negative amount, not ${configured}`);
  return micros;
}

/**
 * Creates an account for an email and password with the signup credit, unless this client
 * address has made too many accounts lately (429 `rate_limited`).
 */
export async function signUp(input: { email: string; password: string; name?: string; clientAddress: string }) {
  assertValidCredentials(input.email, input.password); // a typo does not spend the allowance
  const throttle = await spend("signup", signupLimit(), input.clientAddress);
  if (!throttle.allowed) {
    throw new RateLimited("Too many accounts were created from this address. Try again later.", Math.ceil(throttle.resetMs / 1000), {});
  }
  return createUser({
    email: input.email,
    password: input.password,
    name: input.name,
    creditMicros: signupCreditMicros(),
    creditDescription: "Signup credit",
  });
}
