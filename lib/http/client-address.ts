import ipaddr from "ipaddr.js";

// The address a request came from, for per-address limits (sign-ups, failed authentication,
// public endpoints, password guesses). Anything a client sends can be forged, so only two things
// are believed: the TCP peer of our own socket, and — when the operator says there are
// EASEL_TRUSTED_PROXIES proxies in front of us — the entries those proxies appended to
// X-Forwarded-For. `next start` keeps a client-sent X-Forwarded-For as it is and only fills it
// in from the socket when it is missing, so the peer is recorded by lib/server/request-intake.ts
// under PEER_HEADER, which it overwrites on every request (a client cannot set it).

/** Set by the server on every request from the socket's remote address; never by a client. */
export const PEER_HEADER = "x-easel-peer-address";
/** What the chain says when the peer was not recorded (a request that did not come over our socket). */
export const UNKNOWN_ADDRESS = "unknown";

/** EASEL_TRUSTED_PROXIES: proxy hops in front of the app whose X-Forwarded-For is believed (default 0). */
export function trustedProxyHops(value = process.env.EASEL_TRUSTED_PROXIES): number {
  if (value === undefined || value.trim() === "") return 0;
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > 16) {
    throw new Error(`EASEL_TRUSTED_PROXIES must be a whole number of proxy hops (0–16), not "${value}"`);
  }
  return hops;
}

/**
 * The client's address. With 0 trusted hops: the socket's peer. With n: the peer is the last
 * proxy; walking X-Forwarded-For from the right, the first n − 1 entries were appended by the
 * other trusted proxies and the next one is the client as the outermost proxy saw it. Entries
 * further left were written by the client and are never believed. A chain shorter than that
 * (the request bypassed a proxy) gives its left-most entry — the furthest point still appended
 * by something we trust.
 */
export function clientAddress(headers: Headers, hops = trustedProxyHops()): string {
  const peer = normalise(headers.get(PEER_HEADER));
  if (!peer) return UNKNOWN_ADDRESS;
  if (hops === 0) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // The entries our proxies appended, right-most first: hop 1 wrote forwarded[last], and so on.
  const appended = forwarded.slice(-hops);
  if (appended.length === 0) return peer;
  return normalise(appended[0]!) ?? UNKNOWN_ADDRESS;
}

/** One spelling per address (::ffff:1.2.3.4 is 1.2.3.4, IPv6 compressed), or null for junk. */
function normalise(text: string | null): string | null {
  if (!text) return null;
  // Some proxies write "[v6]:port" or "v4:port".
  const bare = text.trim().replace(/^\[(.*)\](?::\d+)?$/, "$1").replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1");
  if (!ipaddr.isValid(bare)) return null;
  const address = ipaddr.parse(bare);
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (address as ipaddr.IPv6).toIPv4Address().toString();
  }
  return address.toString();
}
