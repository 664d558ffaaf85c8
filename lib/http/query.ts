import type * as z from "zod";
import { invalidRequest, type ApiError } from "./errors";

/**
 * Parses a URL's query string with the endpoint's schema — the one way every list endpoint
 * reads its parameters. A parameter given twice counts once (the first); parameters the schema
 * does not name are ignored, as the OpenAPI document says. The first problem found is a 400
 * naming the parameter: `invalid_parameter`, or the code a refinement names in its `params`
 * (`invalid_cursor`, `unknown_model`).
 *
 * `emptyIsAbsent`: `?type=` means no filter rather than an invalid one (the ledger's forms).
 */
export function parseQuery<S extends z.ZodType>(schema: S, url: URL, options: { emptyIsAbsent?: boolean } = {}): z.output<S> {
  const raw: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (name in raw || (options.emptyIsAbsent && value === "")) continue;
    raw[name] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw fromIssue(parsed.error.issues[0]);
}

function fromIssue(issue: z.core.$ZodIssue | undefined): ApiError {
  if (!issue) return invalidRequest("invalid_parameter", "The query string is invalid.");
  const param = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  const code = issue.code === "custom" && typeof issue.params?.code === "string" ? issue.params.code : "invalid_parameter";
  return invalidRequest(code, issue.message, param);
}
