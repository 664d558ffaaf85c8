// The Node half of Auth.js: the drizzle adapter (OAuth users get their credit account through
// our own createUser) and email + password sign-in. Configured lazily, on the first request, so
// that `next build` never opens the database.
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "./auth.config";
import { authAdapterTables, checkPassword, createOAuthUser } from "./lib/auth/identity";
import { closeSession, isSessionOpen, openSession, SESSION_MAX_AGE_SECONDS } from "./lib/auth/sessions";
import { clientAddress } from "./lib/http/client-address";
import { getDb } from "./db/client";
import { logger } from "./lib/http/logger";

export const { handlers, auth, signIn, signOut } = NextAuth(async () => {
  const adapter = DrizzleAdapter(await getDb(), authAdapterTables);
  return {
    ...authConfig,
    adapter: { ...adapter, createUser: createOAuthUser },
    session: { ...authConfig.session, maxAge: SESSION_MAX_AGE_SECONDS },
    callbacks: {
      ...authConfig.callbacks,
      // A token is a session only while its row in `sessions` exists (lib/auth/sessions.ts):
      // signing out, here or everywhere, ends it on the next request. null signs the cookie out.
      async jwt({ token, user }) {
        if (user?.id) return { ...token, sid: await openSession(user.id) };
        return (await isSessionOpen(token)) ? token : null;
      },
    },
    events: {
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (typeof sid === "string") await closeSession(sid);
      },
    },
    // Auth.js logs through ours; a wrong password is the sign-in form's business, not an error.
    // Auth.js's `type`, not the class name: a production build minifies class names.
    logger: {
      error: (error: Error) => {
        if ((error as Error & { type?: string }).type !== "CredentialsSignin") logger.error({ err: error }, "auth error");
      },
      warn: (code: string) => logger.warn({ code }, "auth warning"),
      debug: () => {},
    },
    providers: [
      ...authConfig.providers,
      Credentials({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        // null for any mismatch: the sign-in page never says which of the two was wrong.
        authorize: async (credentials, request) =>
          checkPassword(credentials?.email, credentials?.password, clientAddress(request.headers)),
      }),
    ],
  };
});
