import type { Metadata } from "next";
import { oauthProviders } from "@/auth.config";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { signupCreditMicros } from "@/lib/accounts/signup";
import { formatUsd } from "@/lib/money";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Create your Easel account</h1>
      <p className="mb-6 text-sm text-neutral-600 dark:text-neutral-400">Sixteen image models, one API key, prepaid credit.</p>
      <OAuthButtons providers={oauthProviders} redirectTo={callbackUrl ?? "/compose"} />
      <SignUpForm callbackUrl={callbackUrl ?? null} creditLabel={formatUsd(signupCreditMicros())} />
    </>
  );
}
