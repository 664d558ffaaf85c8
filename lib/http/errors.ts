// The one error type of the API and its JSON shape (SPEC §3):
// {"error": {"type", "code", "message", "param"?}}. Pure: usable in the browser too.

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "billing_error"
  | "not_found_error"
  | "conflict_error"
  | "rate_limit_error"
  | "api_error";

const TYPE_BY_STATUS: Record<number, ErrorType> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  409: "conflict_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
};

export type ErrorBody = {
  error: { type: ErrorType; code: string; message: string; param?: string } & Record<string, unknown>;
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param?: string;
  /** Extra fields for the error object (e.g. `available` on 402). */
  readonly details?: Record<string, unknown>;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { param?: string; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.param = options.param;
    this.details = options.details;
    this.headers = options.headers;
  }

  get type(): ErrorType {
    return TYPE_BY_STATUS[this.status] ?? "api_error";
  }

  toJSON(): ErrorBody {
    return {
      error: {
        ...this.details,
        type: this.type,
        code: this.code,
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
      },
    };
  }
}

/** A 400 about one parameter of the request. */
export const invalidRequest = (code: string, message: string, param?: string) =>
  new ApiError(400, code, message, { param });
