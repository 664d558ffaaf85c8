// What the SSRF-safe fetcher (safe-fetch.ts) and poster (safe-post.ts) share: resolving a host
// once, and a connection pinned to exactly the addresses that were checked — the request's
// `lookup` replays them instead of asking DNS again, so a rebinding DNS server cannot swap in
// 127.0.0.1 between check and connect.
import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { forbiddenKind } from "./ip-policy";

export type ResolvedAddress = { address: string; family: 4 | 6 };

export async function systemLookup(hostname: string): Promise<ResolvedAddress[]> {
  const found = await dnsLookup(hostname, { all: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

/** A request's `lookup` that answers `hostname` with `addresses` and refuses any other name. */
export function pinnedLookup(hostname: string, addresses: ResolvedAddress[]): LookupFunction {
  return (name, options, callback) => {
    if (name !== hostname) {
      callback(new Error(`unexpected lookup of ${name}`), "", 0);
    } else if (options.all) {
      callback(null, addresses);
    } else {
      const [first] = addresses as [ResolvedAddress];
      callback(null, first.address, first.family);
    }
  };
}

/** `url.hostname` without the brackets of an IPv6 literal. */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/** Rejects with the abort reason as soon as `signal` aborts (DNS lookups cannot be cancelled). */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** "a loopback address", "an unspecified address": what kind of address was refused. */
export function describeAddress(address: string): string {
  const kind = forbiddenKind(address) ?? "non-public";
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} address`;
}

/** Whether a connection failed over the server's certificate rather than reaching it. */
export function isCertificateProblem(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code);
}
