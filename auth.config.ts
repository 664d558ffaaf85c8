// The edge-safe half of Auth.js: what proxy.ts needs to tell a signed-in visitor from a
// signed-out one. Nothing here touches the database; auth.ts adds the adapter and credentials.
import type { NextAuthConfig } from "next-auth";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";

/** Pages behind sign-in. A signed-out visitor is sent to /sign-in and brought back after. */
export const DASHBOARD_PATHS = ["/compose", "/gallery", "/billing", "/keys", "/webhooks"];

export const isDashboardPath = (pathname: string) =>
  DASHBOARD_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`));

/** OAuth providers appear only when their credentials are configured. */
const OAUTH = [
  { id: "github", name: "GitHub", provider: GitHub, configured: Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET) },
  { id: "google", name: "Google", provider: Google, configured: Boolean(process.env.AUTH_GOOGLE_ID && process.env.AUTH_GOOGLE_SECRET) },
].filter((entry) => entry.configured);

/** What the sign-in pages show: the configured providers' ids and names. */
export const oauthProviders = OAUTH.map(({ id, name }) => ({ id, name }));

export const authConfig = {
  // Errors go to the sign-in page too: Auth.js's own error page answers 500 for most of them.
  pages: { signIn: "/sign-in", error: "/sign-in" },
  // Credentials sign-in needs JWT sessions; they also spare a session lookup per request.
  session: { strategy: "jwt" },
  // Behind `next start` the host must be trusted for callback URLs; in development it is local.
  trustHost: process.env.AUTH_TRUST_HOST === "true" || process.env.NODE_ENV !== "production",
  providers: OAUTH.map((entry) => entry.provider),
  callbacks: {
    authorized({ auth, request }) {
      return !isDashboardPath(request.nextUrl.pathname) || Boolean(auth?.user);
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
} satisfies NextAuthConfig;
