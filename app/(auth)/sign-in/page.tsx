import type { Metadata } from "next";
import { oauthProviders } from "@/auth.config";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Sign in to Easel</h1>
      <OAuthButtons providers={oauthProviders} redirectTo={callbackUrl ?? "/compose"} />
      <SignInForm callbackUrl={callbackUrl ?? null} />
    </>
  );
}
