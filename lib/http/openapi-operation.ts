// One endpoint of the OpenAPI document, as each area's table (lib/*/openapi.ts) writes it, and
// how it becomes the document's operation: the headers every answer carries, and an error
// response per status from its codes.
import * as z from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject } from "zod-openapi";
import { describeCodes, ERROR_CODES, errorBodySchema, type ErrorCode } from "./error-codes";

const header = (id: string, description: string, example: string) => z.string().meta({ description, example, header: { id } });

export const HEADERS = {
  requestId: header("X-Request-Id", "This request's id: quote it when asking about a request.", "req_01jd7k3m9x2c4v6b8n0p2r4t6w"),
  limit: header("X-RateLimit-Limit", "Requests a minute the caller's allowance for this kind of request holds (when limits are on).", "300"),
  remaining: header("X-RateLimit-Remaining", "Requests left in the current minute.", "299"),
  reset: header("X-RateLimit-Reset", "Seconds until the allowance is whole again.", "60"),
  retryAfter: header("Retry-After", "Seconds to wait before trying again.", "5"),
  location: header("Location", "The job's URL.", "/v1/jobs/job_01jd7k3m9x2c4v6b8n0p2r4t6w"),
  replayed: header("Idempotent-Replayed", "`true`: this is the job an earlier request with the same key created.", "true"),
  cacheControl: header("Cache-Control", "How long the answer may be cached.", "no-store"),
  authenticate: header("WWW-Authenticate", "How to authenticate.", 'Bearer realm="easel"'),
  preferenceApplied: header("Preference-Applied", "`wait`: the request waited, and the job has ended.", "wait"),
  fallback: header("X-Easel-Fallback", "`true` when a fallback provider of the model's chain served the job.", "true"),
  fallbackLayer: header("X-Easel-Fallback-Layer", "Which fallback served it: 1 is the first after the model's first choice.", "1"),
  jobId: header("X-Easel-Job-Id", "The job that made these images (GET /v1/jobs/{id}).", "job_01jd7k3m9x2c4v6b8n0p2r4t6w"),
};

/** On answers about a job a fallback provider served. */
export const FALLBACK_HEADERS = { "X-Easel-Fallback": HEADERS.fallback.optional(), "X-Easel-Fallback-Layer": HEADERS.fallbackLayer.optional() };

const common = {
  "X-Request-Id": HEADERS.requestId,
  "X-RateLimit-Limit": HEADERS.limit.optional(),
  "X-RateLimit-Remaining": HEADERS.remaining.optional(),
  "X-RateLimit-Reset": HEADERS.reset.optional(),
  "Cache-Control": HEADERS.cacheControl.optional(),
};

export type Method = "get" | "post" | "patch" | "delete";
/** A table of endpoints, by path and method. */
export type Operations = Record<string, Partial<Record<Method, Operation>>>;

export type Success = { description: string; schema?: z.ZodType; contentType?: string; headers?: Record<string, z.ZodType> };

export type Operation = {
  operationId: string;
  /** Kept for older clients; new code should use another operation. */
  deprecated?: boolean;
  tag: string;
  summary: string;
  description: string;
  /** Needs an API key (or the dashboard's session). */
  auth: boolean;
  /** Changes something: a session-cookie request must come from this site's own pages. */
  writes?: boolean;
  query?: z.ZodObject;
  path?: z.ZodObject;
  requestHeaders?: z.ZodObject;
  body?: { schema: z.ZodType; contentType?: string };
  ok: Record<number, Success>;
  /** The codes it may answer, each at its usual status or, as `{ code, status }`, at another. */
  errors?: Array<ErrorCode | { code: ErrorCode; status: number }>;
};

function responseFor(status: number, codes: ErrorCode[]): ZodOpenApiResponseObject {
  const headers: Record<string, z.ZodType> = { ...common };
  if (status === 429) headers["Retry-After"] = HEADERS.retryAfter;
  if (status === 401) headers["WWW-Authenticate"] = HEADERS.authenticate.optional();
  return {
    description: describeCodes(codes),
    headers: z.object(headers),
    content: { "application/json": { schema: errorBodySchema(status, codes as [ErrorCode, ...ErrorCode[]]) } },
  };
}

export function operation(op: Operation): ZodOpenApiOperationObject {
  const codes = [...(op.errors ?? [])];
  if (op.auth) codes.push("invalid_api_key", "key_scope");
  if (op.auth && op.writes) codes.push("cross_origin_request");
  codes.push("rate_limited", "internal_error");
  const byStatus = new Map<number, ErrorCode[]>();
  for (const entry of codes) {
    const [code, status] = typeof entry === "string" ? [entry, ERROR_CODES[entry][0]] : [entry.code, entry.status];
    const listed = byStatus.get(status) ?? [];
    if (!listed.includes(code)) byStatus.set(status, [...listed, code]);
  }
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, success] of Object.entries(op.ok)) {
    responses[status] = {
      description: success.description,
      headers: z.object({ ...common, ...success.headers }),
      ...(success.schema ? { content: { [success.contentType ?? "application/json"]: { schema: success.schema } } } : {}),
    };
  }
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) responses[String(status)] = responseFor(status, list);
  return {
    operationId: op.operationId,
    ...(op.deprecated ? { deprecated: true } : {}),
    tags: [op.tag],
    summary: op.summary,
    description: op.description,
    security: op.auth ? [{ bearer: [] }, { session: [] }] : [],
    requestParams: {
      ...(op.query ? { query: op.query } : {}),
      ...(op.path ? { path: op.path } : {}),
      ...(op.requestHeaders ? { header: op.requestHeaders } : {}),
    },
    ...(op.body ? { requestBody: { required: true, content: { [op.body.contentType ?? "application/json"]: { schema: op.body.schema } } } } : {}),
    responses: responses as ZodOpenApiOperationObject["responses"],
  };
}
