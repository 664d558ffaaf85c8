// The benchmark's floor routes answer only on a server started for the benchmark.
import { afterEach, describe, expect, test } from "vitest";
import { GET as staticRoute } from "./route";
import { GET as dynamicRoute } from "./[id]/route";

const routes = [
  ["/bench/trivial", (request: Request) => staticRoute(request)],
  ["/bench/trivial/{id}", (request: Request) => dynamicRoute(request, { params: Promise.resolve({ id: "job_1" }) })],
] as const;

afterEach(() => {
  delete process.env.EASEL_BENCH_ROUTES;
});

describe.each(routes)("%s", (_name, route) => {
  test("is a 404 unless EASEL_BENCH_ROUTES=1", async () => {
    expect((await route(new Request("http://localhost/bench/trivial/job_1"))).status).toBe(404);
    process.env.EASEL_BENCH_ROUTES = "0";
    expect((await route(new Request("http://localhost/bench/trivial/job_1"))).status).toBe(404);
  });

  test("answers nothing, or a JSON body of about the size asked for", async () => {
    process.env.EASEL_BENCH_ROUTES = "1";
    expect(await (await route(new Request("http://localhost/bench/trivial/job_1"))).json()).toEqual({ ok: true });
    const sized = await route(new Request("http://localhost/bench/trivial/job_1?bytes=2073"));
    const body = await sized.text();
    expect(body.length).toBeGreaterThanOrEqual(2073);
    expect(body.length).toBeLessThan(2073 + 40);
    expect(JSON.parse(body).ok).toBe(true);
  });
});
