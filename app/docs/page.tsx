import type { Metadata } from "next";
import Link from "next/link";
import { Endpoint, type Operation } from "@/components/docs/endpoint";
import { Inline } from "@/components/docs/fields-table";
import type { Json } from "@/components/docs/schema";
import { Logo } from "@/components/logo";
import { buttonClass } from "@/components/ui/button";
import { openApiDocument } from "@/lib/http/openapi";
import { pageOrigin } from "@/lib/server/page-origin";

export const metadata: Metadata = { title: "API reference" };

type Document = Json & {
  info: { title: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation & { tags: string[] }>>;
};

// /docs — the API reference, public, rendered on the server from the same OpenAPI document that
// GET /v1/openapi.json serves; the curl examples use the origin the reader reached us at.
export default async function DocsPage() {
  const document = openApiDocument() as unknown as Document;
  const origin = await pageOrigin();
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

  return (
    <div className="bg-white dark:bg-neutral-950">
      <header className="border-b border-neutral-200 dark:border-neutral-800">
        <div className="mx-auto flex max-w-6xl items-center justify-between px-6 py-4">
          <Logo />
          <nav aria-label="Site" className="flex items-center gap-2">
            <a href="/v1/openapi.json" className={buttonClass("ghost", "sm")}>openapi.json</a>
            <Link href="/compose" className={buttonClass("secondary", "sm")}>Dashboard</Link>
          </nav>
        </div>
      </header>
      <div className="mx-auto flex max-w-6xl gap-10 px-6">
        <nav aria-label="Endpoints" className="sticky top-0 hidden max-h-screen w-56 shrink-0 overflow-y-auto py-10 text-sm lg:block">
          {document.tags.map((tag) => (
            <div key={tag.name} className="mb-5">
              <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">{tag.name}</p>
              <ul>
                {operations
                  .filter(({ op }) => op.tags.includes(tag.name))
                  .map(({ op }) => (
                    <li key={op.operationId}>
                      <a href={`#${op.operationId}`} className="block rounded px-2 py-1 text-neutral-700 hover:bg-neutral-100 dark:text-neutral-300 dark:hover:bg-neutral-800">
                        {op.summary}
                      </a>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </nav>
        <main className="min-w-0 flex-1 py-10">
          <h1 className="text-3xl font-semibold tracking-tight">API reference</h1>
          <div className="mt-4 max-w-3xl space-y-3 text-neutral-700 dark:text-neutral-300">
            {document.info.description.split("\n\n").map((paragraph, i) => (
              <p key={i}><Inline text={paragraph.replace(/\n/g, " ")} /></p>
            ))}
            <p>
              Base URL: <code className="font-mono">{origin}</code>. The machine-readable document is at{" "}
              <a className="text-link underline" href="/v1/openapi.json">/v1/openapi.json</a>.
            </p>
          </div>
          {operations.map(({ path, method, op }) => (
            <Endpoint key={`${method} ${path}`} document={document} path={path} method={method} op={op} origin={origin} />
          ))}
        </main>
      </div>
    </div>
  );
}
