// Checks an answer of a route handler against the OpenAPI document: the path, method and status
// must be documented, the documented required headers present, and a JSON body must match the
// response's schema. Every route test goes through it (fixtures.ts `call`), so the document
// cannot drift from what the routes answer. Validation is JSON Schema 2020-12 (OpenAPI 3.1's
// dialect) with the Ajv build @redocly/cli ships.
import Ajv2020, { type ValidateFunction } from "@redocly/ajv/dist/2020";
import { openApiDocument } from "@/lib/http/openapi";

type Json = Record<string, unknown>;
type ResponseSpec = { headers?: Record<string, { required?: boolean } | { $ref: string }>; content?: Record<string, { schema?: Json }> };

const document = openApiDocument() as unknown as { paths: Record<string, Record<string, { responses: Record<string, ResponseSpec> }>>; components: Json };
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

/** The documented path a concrete path falls under ("/v1/jobs/job_…" → "/v1/jobs/{id}"). */
export function documentedPath(pathname: string): string | undefined {
  return templates.find(({ pattern }) => pattern.test(pathname))?.template;
}

/** The problems of an answer, as sentences; empty when the document describes it. */
export function checkAgainstDocument(request: { method: string; url: string }, response: { status: number; headers: Headers }, body: unknown): string[] {
  const pathname = new URL(request.url).pathname;
  // The document is of the public API; the Stripe webhook and Auth.js answer others.
  if (!pathname.startsWith("/v1/")) return [];
  const method = request.method.toLowerCase();
  const template = documentedPath(pathname);
  const operation = template ? document.paths[template]?.[method] : undefined;
  const what = `${request.method} ${pathname} → ${response.status}`;
  if (!operation) {
    // Any other path is the catch-all's JSON 404, described in the document's introduction.
    const code = (body as { error?: { code?: string } } | null)?.error?.code;
    return response.status === 404 && code === "route_not_found" ? [] : [`${what}: the document has no ${method.toUpperCase()} ${template ?? pathname}`];
  }
  const spec = operation.responses[String(response.status)];
  if (!spec) return [`${what}: status ${response.status} is not documented for ${method.toUpperCase()} ${template}`];

  const problems: string[] = [];
  for (const [name, header] of Object.entries(spec.headers ?? {})) {
    const resolved = "$ref" in header ? (resolve(header.$ref) as { required?: boolean }) : header;
    if (resolved.required && !response.headers.has(name)) problems.push(`${what}: the required header ${name} is missing`);
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (!contentType.startsWith("application/json")) {
    const documented = Object.keys(spec.content ?? {});
    const matches = documented.some((type) => contentType.startsWith(type.replace("/*", "/")));
    if (documented.length > 0 && !matches) problems.push(`${what}: content type ${contentType} is not one of ${documented.join(", ")}`);
    return problems;
  }
  const schema = spec.content?.["application/json"]?.schema;
  if (!schema) return [...problems, `${what}: a JSON body where the document describes none`];
  const key = `${template} ${method} ${response.status}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({ ...schema, components: document.components });
    validators.set(key, validate);
  }
  if (!validate(body)) {
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "(body)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
    problems.push(`${what}: the body does not match the document: ${errors.join("; ")}`);
  }
  return problems;
}

/** Throws, naming every problem, unless the document describes the answer. */
export function assertDocumented(request: { method: string; url: string }, response: { status: number; headers: Headers }, body: unknown): void {
  const problems = checkAgainstDocument(request, response, body);
  if (problems.length > 0) throw new Error(`The answer is not what the OpenAPI document says:\n${problems.join("\n")}`);
}

function resolve(ref: string): unknown {
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], document);
}
