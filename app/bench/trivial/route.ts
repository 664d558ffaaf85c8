// GET /bench/trivial — the framework's own floor for `npm run bench:api`: a route handler of this
// same build that does nothing (with `?bytes=N`, answers a constant JSON body of about N bytes,
// the floor for a route whose answer is that large). Outside /v1 (no proxy, no wrapper), and a 404
// unless the server was started with EASEL_BENCH_ROUTES=1, so that production never serves it.
import { trivialAnswer } from "./answer";

export const dynamic = "force-dynamic";

export function GET(request: Request): Response {
  return trivialAnswer(request);
}
