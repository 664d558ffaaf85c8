// The `Prefer` request header (RFC 7240): a client asks for `wait` — to have the answer once the
// job has ended rather than at once — optionally with the seconds it is willing to wait.

export const DEFAULT_WAIT_SECONDS = 60;
export const MAX_WAIT_SECONDS = 300;

/**
 * The seconds `Prefer: wait` or `Prefer: wait=N` asks to wait (at most MAX_WAIT_SECONDS), or
 * undefined when the header asks for no wait. A preference is not a command: a value that is
 * not a number of seconds is ignored, as the RFC says, and too long a wait is shortened.
 */
export function preferredWaitSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  for (const preference of header.split(",")) {
    const [token = "", ...rest] = preference.split(";")[0]!.split("=");
    if (token.trim().toLowerCase() !== "wait") continue;
    if (rest.length === 0) return DEFAULT_WAIT_SECONDS;
    const value = rest.join("=").trim().replace(/^"(.*)"$/, "$1");
    if (!/^\d{1,9}$/.test(value)) return undefined;
    return Math.min(Number(value), MAX_WAIT_SECONDS);
  }
  return undefined;
}
