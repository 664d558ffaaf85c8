import { oauthProviders } from "@/auth.config";

// The Auth.js endpoints this app uses, by method. Anything else under /api/auth is answered 404
// before Auth.js sees it: Auth.js turns an unknown action or provider into a "Configuration"
// error, logs it as ours, and its error page answers 500.

const BASE = "/api/auth/";

/** The provider ids of sign-in and callback URLs: the configured OAuth providers and credentials. */
const providerIds = () => new Set(["credentials", ...oauthProviders.map((provider) => provider.id)]);
const oauthIds = () => new Set(oauthProviders.map((provider) => provider.id));

const GET_ACTIONS = new Set(["providers", "session", "csrf", "signin", "signout", "error"]);
const POST_ACTIONS = new Set(["session", "signout"]);

/** The action and provider of an Auth.js URL path, if it is one Auth.js would serve here. */
export function knownAuthRoute(method: string, pathname: string): boolean {
  if (!pathname.startsWith(BASE)) return false;
  const parts = pathname.slice(BASE.length).split("/");
  if (parts.at(-1) === "") parts.pop();
  const [action, provider, ...rest] = parts;
  if (!action || rest.length > 0) return false;
  if (method === "GET") {
    if (provider === undefined) return GET_ACTIONS.has(action);
    return action === "callback" && oauthIds().has(provider);
  }
  if (method === "POST") {
    if (provider === undefined) return POST_ACTIONS.has(action);
    return (action === "signin" || action === "callback") && providerIds().has(provider);
  }
  return false;
}

/** Whether this is a password sign-in, which the route checks against the throttle first. */
export const isPasswordSignIn = (method: string, pathname: string) =>
  method === "POST" && pathname.replace(/\/$/, "") === `${BASE}callback/credentials`;
