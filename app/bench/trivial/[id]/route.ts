// GET /bench/trivial/{id} — the same floor for a route with a path parameter, as GET /v1/jobs/{id}
// has: Next matches the dynamic segment and hands the handler its params.
import { trivialAnswer } from "../answer";

export const dynamic = "force-dynamic";

export async function GET(request: Request, segment: { params: Promise<{ id: string }> }): Promise<Response> {
  await segment.params;
  return trivialAnswer(request);
}
