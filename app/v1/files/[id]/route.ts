// GET /v1/files/{id}?expires=…&sig=… — a generated or uploaded file, through its signed URL:
// streamed, or (with presigned file URLs) a redirect to the bucket
import { api } from "@/lib/http/api";
import { serveFile } from "@/lib/storage/serve";

export const GET = api<{ id: string }, "none">(
  async ({ request, params }) => {
    const file = await serveFile(new URL(request.url).searchParams, params.id);
    if ("redirectTo" in file) return new Response(null, { status: 302, headers: file.headers });
    return new Response(file.body as BodyInit, { headers: file.headers });
  },
  { auth: "none", limit: "files" },
);
