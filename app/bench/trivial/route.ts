// GET /bench/trivial — the framework's own floor for `npm run bench:api`: a route handler of this
// same build that does nothing. Outside /v1 (no proxy, no wrapper), and a 404 unless the server
// was started with EASEL_BENCH_ROUTES=1, so that production never serves it.
export const dynamic = "force-dynamic";

export function GET(): Response {
  if (process.env.EASEL_BENCH_ROUTES !== "1") return new Response("Not found", { status: 404 });
  return Response.json({ ok: true });
}
