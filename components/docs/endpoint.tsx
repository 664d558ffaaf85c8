import { CopyButton } from "@/components/ui/copy-button";
import { FieldsTable, Inline } from "./fields-table";
import { fieldsOf, resolve, typeName, variantsOf, type Json, type Schema } from "./schema";

export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: Schema }> }>;
};

const METHOD_STYLE: Record<string, string> = {
  get: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  post: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
};

/** One endpoint: what it does, its parameters and body, its answers and errors, and a curl line. */
export function Endpoint({ document, path, method, op, origin }: { document: Json; path: string; method: string; op: Operation; origin: string }) {
  const needsKey = (op.security ?? []).length > 0;
  const body = op.requestBody?.content;
  const bodyType = body ? Object.keys(body)[0]! : undefined;
  const bodySchema = bodyType ? body![bodyType]!.schema : undefined;
  const statuses = Object.keys(op.responses).sort();
  const successes = statuses.filter((s) => s.startsWith("2"));
  const errors = statuses.filter((s) => !s.startsWith("2"));
  const example = curl({ document, origin, path, method, needsKey, bodyType, bodySchema });

  return (
    <section id={op.operationId} aria-labelledby={`${op.operationId}-title`} className="scroll-mt-6 border-t border-neutral-200 py-10 dark:border-neutral-800" data-testid="docs-endpoint">
      <h2 id={`${op.operationId}-title`} className="text-xl font-semibold">{op.summary}</h2>
      <p className="mt-2 flex items-center gap-2 font-mono text-sm">
        <span className={`rounded px-1.5 py-0.5 text-xs font-semibold uppercase ${METHOD_STYLE[method] ?? ""}`}>{method}</span>
        <span data-testid="docs-endpoint-path">{path}</span>
        <span className="font-sans text-xs text-muted">{needsKey ? "API key" : "Public"}</span>
      </p>
      {op.description ? <p className="mt-3 max-w-3xl text-neutral-700 dark:text-neutral-300"><Inline text={op.description} /></p> : null}

      {op.parameters?.length ? (
        <div className="mt-6">
          <h3 className="mb-2 text-sm font-semibold">Parameters</h3>
          <FieldsTable
            caption={`Parameters of ${method.toUpperCase()} ${path}`}
            fields={op.parameters.map((p) => ({
              name: p.name,
              type: `${typeName(document, p.schema)} · ${p.in}`,
              required: Boolean(p.required),
              description: p.description ?? p.schema?.description,
              children: [],
            }))}
          />
        </div>
      ) : null}

      {bodySchema ? (
        <div className="mt-6">
          <h3 className="mb-2 text-sm font-semibold">Request body <span className="font-mono text-xs font-normal text-muted">{bodyType}</span></h3>
          <FieldsTable caption={`Body of ${method.toUpperCase()} ${path}`} fields={fieldsOf(document, bodySchema)} />
        </div>
      ) : null}

      {successes.map((status) => {
        const response = op.responses[status]!;
        const content = response.content ? Object.entries(response.content)[0] : undefined;
        const schema = content?.[1].schema;
        const variants = variantsOf(document, schema);
        return (
          <div key={status} className="mt-6">
            <h3 className="mb-1 text-sm font-semibold">
              <span className="font-mono">{status}</span> {schema?.$ref ? <span className="font-mono text-xs font-normal text-muted">{typeName(document, schema)}</span> : null}
            </h3>
            <p className="mb-2 text-sm text-muted"><Inline text={response.description} /></p>
            {content && content[0] === "application/json" ? (
              variants.length > 0 ? (
                variants.map((variant, i) => <FieldsTable key={i} caption={`Answer ${status}, variant ${i + 1}`} fields={fieldsOf(document, variant)} />)
              ) : (
                <FieldsTable caption={`Answer ${status} of ${method.toUpperCase()} ${path}`} fields={fieldsOf(document, schema)} />
              )
            ) : null}
            <Headers document={document} headers={response.headers} />
          </div>
        );
      })}

      <div className="mt-6">
        <h3 className="mb-2 text-sm font-semibold">Errors</h3>
        <table className="w-full text-left text-sm" data-testid="docs-errors">
          <caption className="sr-only">Errors of {method.toUpperCase()} {path}</caption>
          <thead className="text-xs uppercase tracking-wide text-muted">
            <tr>
              <th scope="col" className="py-1.5 pr-4 font-medium">Status</th>
              <th scope="col" className="py-1.5 pr-4 font-medium">Code</th>
              <th scope="col" className="py-1.5 font-medium">Meaning</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-neutral-100 dark:divide-neutral-800">
            {errors.flatMap((status) =>
              op.responses[status]!.description.split("\n\n").map((line) => {
                const [, code, meaning] = /^`([^`]+)`: (.*)$/s.exec(line) ?? [null, line, ""];
                return (
                  <tr key={`${status}-${code}`} className="align-top">
                    <td className="py-1.5 pr-4 font-mono text-xs">{status}</td>
                    <td className="py-1.5 pr-4 font-mono text-xs">{code}</td>
                    <td className="py-1.5 text-neutral-700 dark:text-neutral-300"><Inline text={meaning ?? ""} /></td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>

      <div className="mt-6">
        <div className="mb-2 flex items-center justify-between">
          <h3 className="text-sm font-semibold">Example</h3>
          <CopyButton text={example} label="Copy curl" />
        </div>
        <pre className="overflow-x-auto rounded-lg bg-neutral-950 p-4 text-xs leading-relaxed text-neutral-100" data-testid="docs-curl">
          <code>{example}</code>
        </pre>
      </div>
    </section>
  );
}

function Headers({ document, headers }: { document: Json; headers?: Record<string, unknown> }) {
  const named = Object.entries(headers ?? {}).filter(([name]) => !name.startsWith("X-RateLimit") && name !== "X-Request-Id" && name !== "Cache-Control");
  if (named.length === 0) return null;
  return (
    <p className="mt-2 text-sm text-muted">
      Headers:{" "}
      {named.map(([name, header], i) => (
        <span key={name}>
          {i > 0 ? "; " : ""}
          <code className="font-mono text-xs">{name}</code> — {resolve<{ description?: string; schema?: Schema }>(document, header).description ?? resolve<{ schema?: Schema }>(document, header).schema?.description}
        </span>
      ))}
    </p>
  );
}

/** A curl line for the endpoint, with the reader's origin and the schema's example body. */
function curl(input: { document: Json; origin: string; path: string; method: string; needsKey: boolean; bodyType?: string; bodySchema?: Schema }): string {
  const url = `${input.origin}${input.path.replace("{id}", input.path.startsWith("/v1/files") ? "FILE_ID" : "JOB_ID")}${input.path.startsWith("/v1/files") ? "?expires=…&sig=…" : ""}`;
  const lines = [`curl${input.method === "get" ? "" : ` -X ${input.method.toUpperCase()}`} ${url}`];
  if (input.needsKey) lines.push(`  -H "Authorization: Bearer $EASEL_API_KEY"`);
  if (input.bodyType === "multipart/form-data") lines.push(`  -F file=@reference.png`);
  else if (input.bodyType) {
    const example = resolve(input.document, input.bodySchema).example ?? { prompt: "a lighthouse at dusk" };
    lines.push(`  -H "Content-Type: application/json"`, `  -d '${JSON.stringify(example)}'`);
  }
  return lines.join(" \\\n");
}
