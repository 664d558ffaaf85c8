import "server-only";
import { fetchImage as safeFetchImage, ImageFetchError, type ImageFetcher } from "@/lib/net/safe-fetch";
import { ProviderError, type ProviderErrorKind } from "./types";

// What every upstream adapter does the same way: send a request and classify its failure by
// status, honour Retry-After, wait between polls, and download a result the moment it is ready.

/** The longest Retry-After we honour; past it the chain falls back instead of waiting. */
const MAX_RETRY_AFTER_MS = 60_000;
/** An upstream's error text is shown to users and operators: at most this much of it. */
const MAX_DETAIL_CHARS = 300;

export type UpstreamResponse = { response: Response; requestId?: string };

/**
 * Sends one request to an upstream. A 2xx answers the response; anything else — or no answer
 * at all — throws a ProviderError of the kind the status means. `classify` lets an adapter read
 * its upstream's own error body first (a moderation code, a "balance" message) and return the
 * error to throw, or undefined for the usual rule.
 */
export async function sendUpstream(
  name: string,
  url: string,
  init: RequestInit & { signal: AbortSignal },
  options: {
    requestIdHeader?: string;
    classify?: (status: number, body: string, headers: Headers) => ProviderError | undefined;
  } = {},
): Promise<UpstreamResponse> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: "error" });
  } catch (error) {
    if (init.signal.aborted) throw init.signal.reason ?? error;
    throw new ProviderError("transient", "provider_unreachable", `${name} could not be reached.`, { cause: error });
  }
  const requestId = options.requestIdHeader ? response.headers.get(options.requestIdHeader) ?? undefined : undefined;
  if (response.ok) return { response, requestId };

  const body = await response.text().catch(() => "");
  const custom = options.classify?.(response.status, body, response.headers);
  if (custom) throw custom;
  throw failureOfStatus(name, response.status, body, response.headers, requestId);
}

/** The usual meaning of an upstream's error status. */
export function failureOfStatus(name: string, status: number, body: string, headers: Headers, requestId?: string): ProviderError {
  const detail = errorDetail(body);
  const said = detail ? `: ${detail}` : "";
  const options = { retryAfterMs: retryAfterMs(headers), upstreamRequestId: requestId };
  const error = (kind: ProviderErrorKind, code: string, message: string) => new ProviderError(kind, code, message, options);
  if (status === 400 || status === 422) return error("input", "invalid_request", `${name} rejected the request${said}`);
  if (status === 401 || status === 403) return error("upstream", "provider_auth_failed", `${name} refused our credentials (HTTP ${status}).`);
  if (status === 402) return error("credit", "provider_out_of_credit", `${name} is out of credit (HTTP 402).`);
  if (status === 408 || status === 409 || status === 425 || status === 429) {
    return error("transient", status === 429 ? "provider_rate_limited" : "provider_busy", `${name} is busy (HTTP ${status}).`);
  }
  if (status >= 500) return error("transient", "provider_error", `${name} failed (HTTP ${status}).`);
  return error("upstream", "provider_error", `${name} answered HTTP ${status}${said}`);
}

/** The most readable part of an upstream's error body: its message, or the start of the text. */
export function errorDetail(body: string): string {
  let text = body.trim();
  try {
    const parsed: unknown = JSON.parse(body);
    text = findMessage(parsed) ?? text;
  } catch {
    // not JSON: the text as it is
  }
  text = text.replace(/\s+/g, " ");
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

function findMessage(value: unknown, depth = 0): string | undefined {
  if (depth > 3 || value === null || typeof value !== "object") return typeof value === "string" ? value : undefined;
  if (Array.isArray(value)) {
    const parts = value.map((item) => findMessage(item, depth + 1)).filter(Boolean);
    return parts.length > 0 ? parts.join("; ") : undefined;
  }
  const record = value as Record<string, unknown>;
  for (const key of ["message", "msg", "detail", "error", "status_msg"]) {
    const found = findMessage(record[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, capped; undefined when absent. */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number(headers.get("retry-after-ms"));
  if (headers.has("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = Number(value);
  const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(wait) ? Math.min(Math.max(0, wait), MAX_RETRY_AFTER_MS) : undefined;
}

/** Reads a JSON answer; a body that is not JSON is the upstream breaking its protocol. */
export async function readJson<T = unknown>(name: string, response: Response, requestId?: string): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ProviderError("upstream", "provider_error", `${name} answered something that is not JSON.`, { cause: error, upstreamRequestId: requestId });
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export type DownloadedImage = { bytes: Buffer; contentType: string };

/**
 * Downloads a result the moment it is ready (upstream URLs expire in minutes). A URL on the
 * upstream's own configured origin is trusted and fetched directly; any other — a CDN — goes
 * through the SSRF-safe fetcher like a user's URL, since the upstream chose it, not us.
 */
export async function downloadResult(
  name: string,
  url: string,
  options: { trustedOrigin: string; signal: AbortSignal; fetcher?: ImageFetcher; accept?: readonly string[] },
): Promise<DownloadedImage> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProviderError("upstream", "provider_error", `${name} returned a result URL that is not a URL.`);
  }
  if (parsed.origin === new URL(options.trustedOrigin).origin) {
    const { response } = await sendUpstream(name, parsed.href, { signal: options.signal }, {
      classify: (status) =>
        status === 403 || status === 404 || status === 410
          ? new ProviderError("upstream", "provider_result_expired", `${name}'s result was gone before it could be downloaded (HTTP ${status}).`)
          : undefined,
    });
    const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    return { bytes: Buffer.from(await response.arrayBuffer()), contentType };
  }
  try {
    const fetched = await (options.fetcher ?? safeFetchImage)(parsed.href, { signal: options.signal, accept: options.accept });
    return { bytes: fetched.bytes, contentType: fetched.contentType };
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason ?? error;
    const message = error instanceof ImageFetchError ? error.message : "the download failed";
    throw new ProviderError("upstream", "provider_result_unavailable", `${name}'s result could not be downloaded: ${message}`, { cause: error });
  }
}

/** Decodes an upstream's base64 image (with or without a `data:` prefix). */
export function decodeBase64Image(name: string, data: string): Buffer {
  const bytes = Buffer.from(data.replace(/^data:[^,]*,/, ""), "base64");
  if (bytes.length === 0) throw new ProviderError("upstream", "provider_error", `${name} returned an empty image.`);
  return bytes;
}

/**
 * How long to wait between polls of an upstream's queue (fal, Black Forest Labs):
 * `EASEL_PROVIDER_POLL_MS`, default 1 s; tests set a few milliseconds.
 */
export function pollIntervalMs(): number {
  const value = Number(process.env.EASEL_PROVIDER_POLL_MS);
  return Number.isFinite(value) && value > 0 ? value : 1_000;
}
