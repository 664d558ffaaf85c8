// The OpenAPI document: valid (Redocly's recommended rules, no errors), describing every route
// file of the API (app/v1, the OpenAI surface in app/openai, the image API in app/api/v1) and
// nothing that is not one, and served at GET /v1/openapi.json.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { GET as getDocument } from "@/app/v1/openapi.json/route";
import { apiRequest, call } from "@/lib/testing/fixtures";
import { checkAgainstDocument } from "@/lib/testing/openapi-check";
import { openApiDocument } from "./openapi";
import { generateClientTypes, TYPES_FILE } from "./openapi-types";

const root = path.resolve(import.meta.dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route file under app/v1, as the path it serves ("app/v1/jobs/[id]/route.ts" → "/v1/jobs/{id}"). */
function routeFiles(dir = path.join(root, "app/v1")): { file: string; path: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    if (entry.name !== "route.ts") return [];
    const relative = path.relative(path.join(root, "app"), path.dirname(full)).split(path.sep);
    return [{ file: path.relative(root, full), path: `/${relative.map((s) => s.replace(/^\[([^.\]]+)\]$/, "{$1}")).join("/")}` }];
  });
}

describe("the OpenAPI document", () => {
  test("passes `redocly lint` with no errors or warnings", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "easel-openapi-")), "openapi.json");
    fs.writeFileSync(file, JSON.stringify(openApiDocument()));
    const cli = path.join(root, "node_modules/@redocly/cli/bin/cli.js");
    const run = await promisify(execFile)(process.execPath, [cli, "lint", file, "--format", "json"], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? "", failed: error.code }),
    );
    const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 120_000);

  test("describes every route file of the API (app/v1, app/openai, app/api/v1), and only those", async () => {
    const paths = openApiDocument().paths ?? {};
    const routed = new Set<string>();
    const api = ["app/v1", "app/openai", "app/api/v1"].flatMap((dir) => routeFiles(path.join(root, dir)));
    for (const route of api) {
      // The catch-all answers any other path with 404 route_not_found: the document's introduction says so.
      if (route.path.includes("[...")) continue;
      routed.add(route.path);
      const handlers = (await import(path.join(root, route.file))) as Record<string, unknown>;
      const exported = METHODS.filter((method) => typeof handlers[method] === "function");
      const documented = METHODS.filter((method) => paths[route.path]?.[method.toLowerCase() as "get"]);
      expect(documented, `${route.file} (${route.path})`).toEqual(exported);
    }
    expect(Object.keys(paths).sort()).toEqual([...routed].sort());
  });

  test("the dashboard's committed client types are those of this document (else: npm run openapi:types)", async () => {
    const committed = fs.readFileSync(path.join(root, TYPES_FILE), "utf8");
    expect(committed === (await generateClientTypes()), `${TYPES_FILE} is stale: run npm run openapi:types and commit it`).toBe(true);
  });

  test("is served at GET /v1/openapi.json, public and cacheable", async () => {
    const response = await call(getDocument, apiRequest("/v1/openapi.json"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(response.body.openapi).toBe("3.1.0");
    expect(response.body.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: "http", scheme: "bearer" }));
  });

  test("the route tests' check refuses what the document does not describe", () => {
    const request = { method: "GET", url: "http://localhost:3000/v1/balance" };
    const headers = new Headers({ "content-type": "application/json", "x-request-id": "req_x" });
    expect(checkAgainstDocument(request, { status: 200, headers }, { object: "balance" })).toEqual([
      expect.stringContaining("does not match the document"),
    ]);
    expect(checkAgainstDocument(request, { status: 418, headers }, {})).toEqual([expect.stringContaining("status 418 is not documented")]);
    expect(checkAgainstDocument(request, { status: 401, headers: new Headers({ "content-type": "application/json" }) }, {
      error: { type: "authentication_error", code: "invalid_api_key", message: "m" },
    })).toEqual([expect.stringContaining("X-Request-Id is missing")]);
    expect(checkAgainstDocument(request, { status: 401, headers }, { error: { type: "authentication_error", code: "made_up", message: "m" } })).toEqual([
      expect.stringContaining("does not match"),
    ]);
  });
});
