// Sends signed-out visitors of the dashboard to sign-in, and back to where they were going
// afterwards (Auth.js's `authorized` callback in auth.config.ts decides; callbackUrl is a
// same-origin path). The /v1 API is not behind this: it answers 401 in its own error shape.
import NextAuth from "next-auth";
import { authConfig } from "./auth.config";

const { auth } = NextAuth(authConfig);

export default auth;

export const config = {
  matcher: ["/compose/:path*", "/gallery/:path*", "/billing/:path*", "/keys/:path*", "/webhooks/:path*"],
};
