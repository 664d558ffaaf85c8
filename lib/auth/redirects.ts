/**
 * Where to go after signing in: a path of this site, never another origin. Accepts the
 * callbackUrl Auth.js adds (absolute, same origin) or a plain path; anything else goes home.
 */
export function safeCallbackPath(callbackUrl: string | null | undefined, origin: string, fallback = "/compose"): string {
  if (!callbackUrl) return fallback;
  try {
    const url = new URL(callbackUrl, origin);
    if (url.origin !== new URL(origin).origin) return fallback;
    const path = `${url.pathname}${url.search}${url.hash}`;
    // "//evil.example" parses as another origin above; a backslash is refused outright.
    return path.startsWith("/") && !path.startsWith("//") && !path.includes("\\") ? path : fallback;
  } catch {
    return fallback;
  }
}
