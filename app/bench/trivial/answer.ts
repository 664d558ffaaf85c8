// The benchmark routes' answer: nothing, or with `?bytes=N` a constant JSON body of about N bytes.
// A 404 unless the server was started with EASEL_BENCH_ROUTES=1, so that production never serves it.
const bodies = new Map<number, string>();

export function trivialAnswer(request: Request): Response {
  if (process.env.EASEL_BENCH_ROUTES !== "1") return new Response("Not found", { status: 404 });
  const bytes = Math.min(1_000_000, Math.max(0, Number(new URL(request.url).searchParams.get("bytes")) || 0));
  if (bytes === 0) return Response.json({ ok: true });
  let body = bodies.get(bytes);
  if (!body) bodies.set(bytes, (body = JSON.stringify({ ok: true, padding: "x".repeat(bytes) })));
  return new Response(body, { headers: { "content-type": "application/json" } });
}
