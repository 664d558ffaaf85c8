"use server";
// Server actions of the sign-in and sign-up forms. Next.js checks their Origin itself.

import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { signIn, signOut } from "@/auth";
import { signUp } from "@/lib/accounts/signup";
import { currentAccount } from "@/lib/auth/current";
import { safeCallbackPath } from "@/lib/auth/redirects";
import { closeAllSessions } from "@/lib/auth/sessions";
import { signInWait, throttledMessage } from "@/lib/auth/sign-in-throttle";
import { clientAddress } from "@/lib/http/client-address";
import { DomainError } from "@/lib/errors";
import { pageOrigin } from "@/lib/server/page-origin";

export type FormState = { error?: string; fields?: Record<string, string>; values?: Record<string, string> };

async function signInWithPassword(email: string, password: string, callbackUrl: string | null): Promise<FormState> {
  try {
    await signIn("credentials", { email, password, redirectTo: safeCallbackPath(callbackUrl, await pageOrigin()) });
    return {};
  } catch (error) {
    // A failed sign-in never says whether the email or the password was wrong; a throttled one
    // says so, the same way for every email.
    if (error instanceof CredentialsSignin && error.code === "too_many_attempts") {
      const wait = await signInWait({ email, address: clientAddress(await headers()) });
      return { error: throttledMessage(wait), values: { email } };
    }
    if (error instanceof AuthError) return { error: "That email and password do not match an account.", values: { email } };
    throw error; // the redirect after success is thrown too, and must go through
  }
}

export async function signInAction(_state: FormState, form: FormData): Promise<FormState> {
  return signInWithPassword(String(form.get("email") ?? ""), String(form.get("password") ?? ""), form.get("callbackUrl") as string | null);
}

export async function signUpAction(_state: FormState, form: FormData): Promise<FormState> {
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  const name = String(form.get("name") ?? "").trim() || undefined;
  try {
    await signUp({ email, password, name, clientAddress: clientAddress(await headers()) });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const values = { email, name: name ?? "" };
    if (error.code === "email_taken") return { fields: { email: "An account with this email already exists. Sign in instead." }, values };
    if (error.param) return { fields: { [error.param]: error.message }, values };
    return { error: error.message, values };
  }
  return signInWithPassword(email, password, form.get("callbackUrl") as string | null);
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}

/** Ends every session of this user — other browsers, copied cookies — and this one. */
export async function signOutEverywhereAction(): Promise<void> {
  const me = await currentAccount();
  await closeAllSessions(me.userId);
  await signOut({ redirectTo: "/sign-in" });
}
