// The only way the server may fetch a user-supplied URL (reference images: `image_url`,
// `image_urls`). Users choose these URLs, so every hop is checked before any connection: https
// only, no credentials, and every address the host resolves to must be public (ip-policy.ts).
// The socket then connects to one of exactly those addresses — the request's `lookup` replays
// them instead of asking DNS again, so a rebinding DNS server cannot swap in 127.0.0.1 between
// check and connect — while TLS still verifies the certificate against the hostname.
import type { IncomingMessage } from "node:http";
import { request, type RequestOptions } from "node:https";
import { isIP } from "node:net";
import { isForbiddenAddress } from "./ip-policy";
import { abortable, bareHostname, describeAddress, isCertificateProblem, pinnedLookup, systemLookup, type ResolvedAddress } from "./pinned";

export type { ResolvedAddress } from "./pinned";

export type FetchedImage = { bytes: Buffer; contentType: string; finalUrl: string };
/** `accept`: the content types taken (default PNG, JPEG and WebP; an upstream's SVG result adds its own). */
export type ImageFetcher = (url: string, options?: { signal?: AbortSignal; accept?: readonly string[] }) => Promise<FetchedImage>;

export type ImageFetcherOptions = {
  /** Every address of a hostname; defaults to the system resolver. Tests inject a map. */
  lookup?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Address policy; defaults to `isForbiddenAddress`. Tests let a loopback server count as public. */
  isForbidden?: (address: string) => boolean;
  /** Trusted CAs, replacing the system store (a test's self-signed certificate). */
  ca?: string | Buffer;
  /** Whole fetch, redirects and body included. */
  timeoutMs?: number;
  maxBytes?: number;
};

export const MAX_REDIRECTS = 3;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/webp"]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Every way a fetch can fail. `message` is shown to API users as is, so it names at most the
 * URL's host (never a resolved address or a system error); the low-level error is `cause`.
 */
export class ImageFetchError extends Error {
  readonly code = "invalid_image_url";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ImageFetchError";
  }
}

/** The production fetcher: system DNS, the real address policy, the system CA store. */
export const fetchImage: ImageFetcher = createImageFetcher();

type Config = Required<Omit<ImageFetcherOptions, "ca">> & Pick<ImageFetcherOptions, "ca">;

export function createImageFetcher(options: ImageFetcherOptions = {}): ImageFetcher {
  const config: Config = {
    lookup: options.lookup ?? systemLookup,
    isForbidden: options.isForbidden ?? isForbiddenAddress,
    ca: options.ca,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
  };

  return async function fetchImageWith(url, { signal: callerSignal, accept } = {}) {
    const types = accept ? new Set(accept) : IMAGE_TYPES;
    let host = "";
    let reading = false;
    // One controller for the whole fetch: the deadline aborts it with a user-facing error,
    // the caller's signal (cancellation, shutdown) with the caller's own reason.
    const controller = new AbortController();
    const signal = controller.signal;
    const timer = setTimeout(() => {
      const who = host ? `The image server "${host}"` : "The image URL";
      controller.abort(new ImageFetchError(`${who} did not answer within ${formatDuration(config.timeoutMs)}.`));
    }, config.timeoutMs);
    const onCallerAbort = () => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) onCallerAbort();
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });

    try {
      let current = parseUrl(url);
      for (let redirects = 0; ; redirects++) {
        const who = redirects === 0 ? "The image URL" : "The image URL redirects to a URL that";
        host = current.hostname;
        const addresses = await checkedAddresses(current, who, config, signal);
        const response = await send(current, addresses, config, signal, types);

        const location = response.headers.location;
        if (REDIRECT_STATUSES.has(response.statusCode ?? 0) && location) {
          response.destroy();
          if (redirects === MAX_REDIRECTS) {
            throw new ImageFetchError(`The image URL redirects more than ${MAX_REDIRECTS} times.`);
          }
          current = parseUrl(location, current);
          continue;
        }
        reading = true;
        return await readImage(response, current, config, types);
      }
    } catch (error) {
      // The deadline or the caller won the race: whatever broke afterwards is a consequence.
      if (signal.aborted) throw signal.reason;
      if (error instanceof ImageFetchError) throw error;
      const problem = reading ? "closed the connection before sending the whole image" : connectProblem(error);
      throw new ImageFetchError(`The image server "${host}" ${problem}.`, { cause: error });
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    }
  };
}

/** Applies every rule to one hop and returns the addresses the connection may use. */
async function checkedAddresses(url: URL, who: string, config: Config, signal: AbortSignal) {
  if (url.protocol !== "https:") throw new ImageFetchError(`${who} is not https.`);
  if (url.username || url.password) throw new ImageFetchError(`${who} contains a user name or password.`);

  const hostname = bareHostname(url);
  const family = isIP(hostname);
  if (family === 4 || family === 6) {
    // The WHATWG parser has already turned 2130706433, 0x7f.1 and [::ffff:127.0.0.1]
    // into canonical literals, so this sees what the socket would connect to.
    if (config.isForbidden(hostname)) throw addressRefusal(who, url, { cause: new Error(`is ${describeAddress(hostname)}`) });
    return [{ address: hostname, family }] satisfies ResolvedAddress[];
  }

  let addresses: ResolvedAddress[];
  try {
    addresses = await abortable(config.lookup(hostname), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw addressRefusal(who, url, { cause: error });
  }
  if (addresses.length === 0) throw addressRefusal(who, url);
  // Refused if ANY address is forbidden: the system could connect to whichever it likes.
  const forbidden = addresses.find(({ address }) => config.isForbidden(address));
  if (forbidden) throw addressRefusal(who, url, { cause: new Error(`resolves to ${describeAddress(forbidden.address)}`) });
  return addresses;
}

/**
 * One answer for every refusal about where a host is: a literal private address, a name that
 * does not resolve and a name that resolves to a private address all read the same, so that
 * the API cannot be used to learn which internal names exist or what they point to. What
 * happened is kept as the error's cause, for our logs.
 */
function addressRefusal(who: string, url: URL, options?: { cause?: unknown }): ImageFetchError {
  return new ImageFetchError(`${who} points to "${url.hostname}", which is not a reachable public address.`, options);
}

/** Sends a GET to `url` over a connection pinned to `addresses`; resolves with the headers. */
function send(url: URL, addresses: ResolvedAddress[], config: Config, signal: AbortSignal, types: ReadonlySet<string>) {
  const hostname = bareHostname(url);
  const options: RequestOptions = {
    method: "GET",
    hostname,
    port: url.port || 443,
    path: `${url.pathname}${url.search}`,
    headers: { accept: [...types].join(", "), "accept-encoding": "identity", "user-agent": "Easel/1 (image fetcher)" },
    ca: config.ca,
    // A fresh agent: no pooled socket from another hop or another user's fetch.
    agent: false,
    // Never called for IP literals (Node connects to those directly, already checked).
    lookup: pinnedLookup(hostname, addresses),
  };
  return new Promise<IncomingMessage>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const req = request(options);
    let response: IncomingMessage | undefined;
    // Stays registered while the body streams (the deadline covers the whole download); the
    // controller belongs to this one fetch, so nothing outlives it.
    const onAbort = () => (response ?? req).destroy(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", reject);
    req.on("response", (res) => {
      response = res;
      resolve(res);
    });
    req.end();
  });
}

/** Checks status, type and size, then reads the body, stopping as soon as it is too large. */
async function readImage(response: IncomingMessage, url: URL, config: Config, types: ReadonlySet<string>): Promise<FetchedImage> {
  const host = url.hostname;
  const status = response.statusCode ?? 0;
  const tooLarge = `The image at "${host}" is larger than ${formatBytes(config.maxBytes)}.`;
  try {
    if (status < 200 || status > 299) {
      throw new ImageFetchError(`The image server "${host}" answered with HTTP status ${status}.`);
    }
    const contentType = (response.headers["content-type"]?.split(";")[0] ?? "").trim().toLowerCase();
    if (!types.has(contentType)) {
      const shown = printable(contentType) || "no Content-Type";
      throw new ImageFetchError(`The image at "${host}" is not a PNG, JPEG or WebP image (${shown}).`);
    }
    if (Number(response.headers["content-length"]) > config.maxBytes) throw new ImageFetchError(tooLarge);

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > config.maxBytes) throw new ImageFetchError(tooLarge);
      chunks.push(chunk);
    }
    return { bytes: Buffer.concat(chunks, size), contentType, finalUrl: url.href };
  } finally {
    // Unread bytes must not keep flowing in after a refusal.
    response.destroy();
  }
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch (error) {
    const what = base ? "The image URL redirects to an invalid URL." : "The image URL is not a valid URL.";
    throw new ImageFetchError(what, { cause: error });
  }
}

function connectProblem(error: unknown): string {
  return isCertificateProblem(error) ? "did not present a valid TLS certificate" : "could not be reached";
}

/** The Content-Type as sent, short and without control characters, for the error message. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "").slice(0, 100);
}

function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function formatBytes(bytes: number): string {
  const mb = 1024 * 1024;
  return bytes % mb === 0 ? `${bytes / mb} MB` : `${bytes} bytes`;
}
