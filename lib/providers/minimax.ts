import "server-only";
import { decodeBase64Image, readJson, sendUpstream } from "./http";
import { aspectRatioOf } from "./request-shape";
import { CONTENT_POLICY_VIOLATION, ProviderError, type ImageProvider, type ProviderErrorKind, type ProviderRequest } from "./types";
import { baseUrl, requireVariables, type Env, type Upstream } from "./upstream";

// MiniMax, through its own API (https://www.minimax.io/platform/document). It speaks one
// documented endpoint:
//   POST {MINIMAX_BASE_URL}/v1/image_generation, `Authorization: Bearer …`, a JSON body
//        `{ model: "image-01", prompt, aspect_ratio, n, response_format: "base64", prompt_optimizer }`
//        → `{ id, data: { image_base64: [...] }, metadata: { success_count, failed_count },
//             base_resp: { status_code, status_msg } }`
// MiniMax reports most failures as HTTP 200 with a `base_resp.status_code` other than 0, so
// the code decides: 1002 rate limit → transient; 1004/2049 our key → next provider; 1008 out of
// balance → operator alert; 1026/1027 sensitive content → content_policy_violation; 2013 invalid
// parameters → the job fails. Images its safety check blocks are left out (`failed_count`):
// the others are delivered, and when every one was blocked the job fails as moderated.

const NAME = "MiniMax";
const DEFAULT_BASE_URL = "https://api.minimax.io";
const MODEL = "image-01";

/** MiniMax's `base_resp.status_code` values, and what each means for the job. */
const STATUS_CODES: Record<number, { kind: ProviderErrorKind; code: string }> = {
  1000: { kind: "transient", code: "provider_error" }, // unknown error
  1001: { kind: "transient", code: "provider_timeout" }, // request timed out upstream
  1002: { kind: "transient", code: "provider_rate_limited" },
  1004: { kind: "upstream", code: "provider_auth_failed" },
  1008: { kind: "credit", code: "provider_out_of_credit" },
  1013: { kind: "transient", code: "provider_error" }, // internal service error
  1026: { kind: "input", code: CONTENT_POLICY_VIOLATION }, // the prompt is sensitive
  1027: { kind: "input", code: CONTENT_POLICY_VIOLATION }, // the output is sensitive
  2013: { kind: "input", code: "invalid_request" },
  2049: { kind: "upstream", code: "provider_auth_failed" }, // invalid API key
};

/** The request body MiniMax is sent for `request`. */
export function minimaxBody(request: ProviderRequest): Record<string, unknown> {
  // image-01 takes each of our aspect ratios as written: 1:1, 16:9, 9:16, 4:3, 3:4 and 21:9.
  const body: Record<string, unknown> = {
    model: MODEL,
    prompt: request.prompt,
    aspect_ratio: aspectRatioOf(request),
    n: request.n,
    response_format: "base64",
    // The prompt is the caller's: MiniMax must not rewrite it.
    prompt_optimizer: false,
  };
  if (request.seed !== undefined) body.seed = request.seed;
  return body;
}

type Answer = {
  id?: unknown;
  data?: { image_base64?: unknown } | null;
  metadata?: { success_count?: unknown; failed_count?: unknown } | null;
  base_resp?: { status_code?: unknown; status_msg?: unknown } | null;
};

export function failureOfStatusCode(statusCode: number, message: string, upstreamRequestId?: string): ProviderError {
  const meaning = STATUS_CODES[statusCode] ?? { kind: "upstream" as const, code: "provider_error" };
  const text =
    meaning.code === CONTENT_POLICY_VIOLATION
      ? `${NAME} refused the request under its content policy (${statusCode}: ${message}).`
      : `${NAME} answered ${statusCode}: ${message}`;
  return new ProviderError(meaning.kind, meaning.code, text, { upstreamRequestId });
}

/** A non-2xx answer that still carries a `base_resp` is read by its code, like a 200 would be. */
function classifyHttpError(_status: number, body: string, headers: Headers): ProviderError | undefined {
  try {
    const answer = JSON.parse(body) as Answer;
    const statusCode = Number(answer.base_resp?.status_code);
    if (Number.isInteger(statusCode) && statusCode !== 0) {
      return failureOfStatusCode(statusCode, String(answer.base_resp?.status_msg ?? ""), headers.get("trace-id") ?? undefined);
    }
  } catch {
    // not JSON: the usual meaning of the status
  }
  return undefined;
}

class MiniMaxProvider implements ImageProvider {
  readonly id = "minimax" as const;

  constructor(
    private readonly key: string,
    private readonly base: string,
  ) {}

  async generate(request: ProviderRequest, signal: AbortSignal) {
    const { response, requestId } = await sendUpstream(NAME, `${this.base}/v1/image_generation`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.key}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(minimaxBody(request)),
      signal,
    }, { requestIdHeader: "trace-id", classify: classifyHttpError });
    const answer = await readJson<Answer>(NAME, response, requestId);
    const upstreamRequestId = typeof answer.id === "string" && answer.id ? answer.id : requestId;

    const statusCode = Number(answer.base_resp?.status_code ?? NaN);
    if (!Number.isInteger(statusCode)) throw new ProviderError("upstream", "provider_error", `${NAME} answered without a status.`, { upstreamRequestId });
    if (statusCode !== 0) throw failureOfStatusCode(statusCode, String(answer.base_resp?.status_msg ?? ""), upstreamRequestId);

    const encoded = Array.isArray(answer.data?.image_base64) ? answer.data.image_base64.filter((item): item is string => typeof item === "string" && item.length > 0) : [];
    if (encoded.length === 0 && Number(answer.metadata?.failed_count ?? 0) > 0) {
      throw new ProviderError("input", CONTENT_POLICY_VIOLATION, `${NAME} withheld every image under its content policy.`, { upstreamRequestId });
    }
    const images = encoded.map((data) => ({ bytes: decodeBase64Image(NAME, data), contentType: "image/jpeg", width: request.width, height: request.height }));
    return { images, upstreamRequestId };
  }
}

export const minimaxUpstream: Upstream = {
  id: "minimax",
  name: "MiniMax",
  variables: ["MINIMAX_API_KEY", "MINIMAX_BASE_URL"],
  disabledReason: (env: Env) => requireVariables(env, ["MINIMAX_API_KEY"]),
  create: (env: Env) => new MiniMaxProvider(env.MINIMAX_API_KEY!.trim(), baseUrl(env, "MINIMAX_BASE_URL", DEFAULT_BASE_URL)),
};
