// The only way the server POSTs to a user-supplied URL (webhook receivers). The rules of
// safe-fetch.ts apply: every address the host resolves to must be public (ip-policy.ts) and the
// socket connects to exactly those addresses — the request's `lookup` replays them instead of
// asking DNS again, so a rebinding DNS server cannot swap in 127.0.0.1 between check and
// connect — while TLS still verifies the certificate against the hostname. Unlike a fetch,
// redirects are never followed (a 3xx is the receiver's answer), and only the first bytes of
// the answer are kept.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { isForbiddenAddress } from "./ip-policy";
import { abortable, bareHostname, describeAddress, isCertificateProblem, pinnedLookup, systemLookup, type ResolvedAddress } from "./pinned";

export type { ResolvedAddress } from "./pinned";

export type SafePostOptions = {
  /** Every address of a hostname; defaults to the system resolver. Tests inject a map. */
  lookup?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Address policy; defaults to `isForbiddenAddress`. */
  isForbidden?: (address: string) => boolean;
  /** Private and loopback addresses, and plain http, allowed (local receivers only). */
  allowPrivate?: boolean;
  /** Trusted CAs, replacing the system store (a test's self-signed certificate). */
  ca?: string | Buffer;
  /** The whole exchange: connecting, sending, and reading what is kept of the answer. */
  timeoutMs?: number;
  /** Bytes of the answer kept; the rest is not read. */
  maxResponseBytes?: number;
};

export type PostResult = { status: number; headers: IncomingMessage["headers"]; body: string };

/** Why a POST did not get an answer, in words fit for the delivery log (no resolved address). */
export class SafePostError extends Error {
  constructor(
    message: string,
    readonly kind: "refused" | "timeout" | "network",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SafePostError";
  }
}

export type SafePoster = (url: string, input: { headers: Record<string, string>; body: string }) => Promise<PostResult>;

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1024;

export function createSafePoster(options: SafePostOptions = {}): SafePoster {
  const lookup = options.lookup ?? systemLookup;
  const allowPrivate = options.allowPrivate ?? false;
  const isForbidden = allowPrivate ? () => false : (options.isForbidden ?? isForbiddenAddress);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  return async function post(text, { headers, body }) {
    const url = checkedUrl(text, allowPrivate);
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new SafePostError(`No answer within ${formatMs(timeoutMs)}.`, "timeout")),
      timeoutMs,
    );
    try {
      const addresses = await checkedAddresses(url, lookup, isForbidden, controller.signal);
      return await send(url, addresses, { headers, body, ca: options.ca, maxBytes }, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      if (error instanceof SafePostError) throw error;
      throw new SafePostError(networkProblem(error, url.hostname), "network", { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * The rules a receiver URL must meet before any DNS lookup: absolute, https (http only when
 * private receivers are allowed), no credentials. Throws a `SafePostError` saying which failed.
 */
export function checkedUrl(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new SafePostError("The URL is not a valid absolute URL.", "refused", { cause: error });
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new SafePostError("The URL must use https.", "refused");
  }
  if (url.username || url.password) throw new SafePostError("The URL must not contain a user name or password.", "refused");
  return url;
}

/**
 * Every address the URL's host resolves to, all of them public (or an IP literal that is),
 * else a `SafePostError` naming the host. Also used when a receiver is saved.
 */
export async function checkedAddresses(
  url: URL,
  lookup: (hostname: string) => Promise<ResolvedAddress[]>,
  isForbidden: (address: string) => boolean,
  signal?: AbortSignal,
): Promise<ResolvedAddress[]> {
  const literal = checkedLiteral(url, isForbidden);
  if (literal) return [literal];
  const hostname = bareHostname(url);
  let addresses: ResolvedAddress[];
  try {
    addresses = await abortable(lookup(hostname), signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new SafePostError(`"${url.hostname}" could not be resolved.`, "network", { cause: error });
  }
  if (addresses.length === 0) throw new SafePostError(`"${url.hostname}" could not be resolved.`, "network");
  // Refused if ANY address is forbidden: the system could connect to whichever it likes.
  const forbidden = addresses.find(({ address }) => isForbidden(address));
  if (forbidden) throw new SafePostError(`"${url.hostname}" resolves to ${describeAddress(forbidden.address)}.`, "refused");
  return addresses;
}

/**
 * For a host that is an IP literal, the address (or a `SafePostError` if it is forbidden);
 * null for a name, which only DNS can judge.
 */
export function checkedLiteral(url: URL, isForbidden: (address: string) => boolean = isForbiddenAddress): ResolvedAddress | null {
  const hostname = bareHostname(url);
  const family = isIP(hostname);
  if (family !== 4 && family !== 6) return null;
  // The WHATWG parser has already turned 2130706433, 0x7f.1 and [::ffff:127.0.0.1] into
  // canonical literals, so this sees what the socket would connect to.
  if (isForbidden(hostname)) throw new SafePostError(`"${url.hostname}" is ${describeAddress(hostname)}.`, "refused");
  return { address: hostname, family };
}

function send(
  url: URL,
  addresses: ResolvedAddress[],
  input: { headers: Record<string, string>; body: string; ca?: string | Buffer; maxBytes: number },
  signal: AbortSignal,
): Promise<PostResult> {
  const hostname = bareHostname(url);
  const payload = Buffer.from(input.body);
  const https = url.protocol === "https:";
  const options: RequestOptions & { ca?: string | Buffer } = {
    method: "POST",
    hostname,
    port: url.port || (https ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    headers: {
      ...input.headers,
      "content-type": "application/json",
      "content-length": String(payload.length),
      "user-agent": "Easel-Webhooks/1",
    },
    // A fresh agent: no pooled socket from another receiver.
    agent: false,
    // Never called for IP literals (Node connects to those directly, already checked).
    lookup: pinnedLookup(hostname, addresses),
  };
  if (https) options.ca = input.ca;

  return new Promise<PostResult>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const req = (https ? httpsRequest : httpRequest)(options);
    let response: IncomingMessage | undefined;
    const onAbort = () => {
      (response ?? req).destroy(signal.reason);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const done = () => signal.removeEventListener("abort", onAbort);
    req.on("error", (error) => {
      done();
      reject(error);
    });
    req.on("response", (res) => {
      response = res;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        done();
        res.destroy(); // the rest of a long answer is not read
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
      };
      res.on("data", (chunk: Buffer) => {
        const room = input.maxBytes - size;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += chunk.length;
        if (size >= input.maxBytes) finish();
      });
      res.on("end", finish);
      res.on("error", (error) => {
        done();
        reject(error);
      });
    });
    req.end(payload);
  });
}

function networkProblem(error: unknown, host: string): string {
  if (isCertificateProblem(error)) return `"${host}" did not present a valid TLS certificate.`;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED") return `"${host}" refused the connection.`;
  if (code === "ECONNRESET" || code === "EPIPE") return `"${host}" closed the connection.`;
  return `"${host}" could not be reached${typeof code === "string" ? ` (${code})` : ""}.`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
