// Which IP addresses the server may connect to on a user's behalf. User-supplied image URLs
// must never reach our own network, the cloud metadata service or anything not on the public
// internet (SSRF); lib/net/safe-fetch.ts asks this module about every address before connecting.
//
// Pure and hand-rolled rather than built on node:net's BlockList: on Node 20 a BlockList IPv4
// rule silently matches the `::ffff:a.b.c.d` mapped form but not NAT64, 6to4 or `::a.b.c.d`,
// and an IPv6 rule for ::ffff:0:0/96 matches *every* IPv4 address. Plain integer ranges leave
// nothing to guess.
import { isIP } from "node:net";

/** Why an address is refused; used in the message shown to API users. */
export type ForbiddenKind =
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "shared (CGNAT)"
  | "documentation"
  | "multicast"
  | "reserved"
  | "invalid";

type Range = { base: bigint; prefix: number; kind: ForbiddenKind };

// IANA special-purpose IPv4 ranges that are not public unicast (RFC 6890 and successors).
const IPV4_RANGES: Range[] = [
  v4("0.0.0.0", 8, "unspecified"),
  v4("10.0.0.0", 8, "private"),
  v4("100.64.0.0", 10, "shared (CGNAT)"),
  v4("127.0.0.0", 8, "loopback"),
  v4("169.254.0.0", 16, "link-local"), // includes the cloud metadata service 169.254.169.254
  v4("172.16.0.0", 12, "private"),
  v4("192.0.0.0", 24, "reserved"), // IETF protocol assignments
  v4("192.0.2.0", 24, "documentation"),
  v4("192.88.99.0", 24, "reserved"), // deprecated 6to4 relay anycast
  v4("192.168.0.0", 16, "private"),
  v4("198.18.0.0", 15, "reserved"), // benchmarking
  v4("198.51.100.0", 24, "documentation"),
  v4("203.0.113.0", 24, "documentation"),
  v4("224.0.0.0", 4, "multicast"),
  v4("240.0.0.0", 4, "reserved"), // includes the broadcast address 255.255.255.255
];

// IPv6 is an allowlist: only global unicast 2000::/3 may pass, minus these carve-outs. The
// ranges outside 2000::/3 are listed only so that the message names them precisely.
const IPV6_RANGES: Range[] = [
  v6("100::", 64, "reserved"), // discard-only
  v6("2001::", 23, "reserved"), // IETF protocol assignments, including Teredo 2001::/32
  v6("2001:db8::", 32, "documentation"),
  v6("3fff::", 20, "documentation"),
  v6("fc00::", 7, "private"), // unique local
  v6("fe80::", 10, "link-local"),
  v6("fec0::", 10, "private"), // deprecated site-local
  v6("ff00::", 8, "multicast"),
];
const GLOBAL_UNICAST = v6("2000::", 3, "reserved");

// IPv6 forms that carry an IPv4 address and reach it (or a host named by it): judged by that
// IPv4 address, so `::ffff:127.0.0.1` is as forbidden as 127.0.0.1. `shift` is where the IPv4
// address sits, in bits from the right.
const EMBEDDING_FORMS: { range: Range; shift: bigint }[] = [
  { range: v6("::ffff:0:0", 96, "reserved"), shift: 0n }, // IPv4-mapped
  { range: v6("::", 96, "reserved"), shift: 0n }, // IPv4-compatible (deprecated)
  { range: v6("::ffff:0:0:0", 96, "reserved"), shift: 0n }, // IPv4-translated (SIIT)
  { range: v6("64:ff9b::", 96, "reserved"), shift: 0n }, // NAT64
  { range: v6("2002::", 16, "reserved"), shift: 80n }, // 6to4
];

/** True unless `address` is a valid IP literal (v4 or v6) on the public internet. */
export function isForbiddenAddress(address: string): boolean {
  return forbiddenKind(address) !== null;
}

/** Why `address` may not be connected to, or null if it is a public unicast address. */
export function forbiddenKind(address: string): ForbiddenKind | null {
  const family = isIP(address);
  if (family === 4) return classifyV4(parseV4(address));
  // A zone id (`fe80::1%eth0`) only makes sense for link-local targets; refuse it outright.
  if (family === 6 && !address.includes("%")) return classifyV6(parseV6(address));
  return "invalid";
}

function classifyV4(value: bigint): ForbiddenKind | null {
  return IPV4_RANGES.find((range) => inRange(value, range, 32))?.kind ?? null;
}

function classifyV6(value: bigint): ForbiddenKind | null {
  // Checked before the embedding forms, where they would read as 0.0.0.0 and 0.0.0.1.
  if (value === 0n) return "unspecified";
  if (value === 1n) return "loopback";
  for (const { range, shift } of EMBEDDING_FORMS) {
    if (inRange(value, range, 128)) return classifyV4((value >> shift) & 0xffff_ffffn);
  }
  const listed = IPV6_RANGES.find((range) => inRange(value, range, 128));
  if (listed) return listed.kind;
  return inRange(value, GLOBAL_UNICAST, 128) ? null : "reserved";
}

function inRange(value: bigint, range: Range, bits: number): boolean {
  const drop = BigInt(bits - range.prefix);
  return value >> drop === range.base >> drop;
}

/** `a.b.c.d` (already validated by isIP) as a 32-bit integer. */
function parseV4(address: string): bigint {
  return address.split(".").reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** An IPv6 literal (already validated by isIP, no zone id) as a 128-bit integer. */
function parseV6(address: string): bigint {
  let text = address.toLowerCase();
  // A trailing dotted quad (`::ffff:1.2.3.4`) stands for the last two groups.
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const quad = parseV4(tail);
    text = `${text.slice(0, lastColon + 1)}${(quad >> 16n).toString(16)}:${(quad & 0xffffn).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = rest ? rest.split(":") : [];
  const zeros: string[] = Array(8 - left.length - right.length).fill("0");
  const groups = rest === undefined ? left : [...left, ...zeros, ...right];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function v4(base: string, prefix: number, kind: ForbiddenKind): Range {
  return { base: parseV4(base), prefix, kind };
}

function v6(base: string, prefix: number, kind: ForbiddenKind): Range {
  return { base: parseV6(base), prefix, kind };
}
