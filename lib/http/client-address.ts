/**
 * The client's address as the server in front of us reports it (the first X-Forwarded-For
 * entry, which Next sets from the socket when there is no proxy), or "unknown".
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}
