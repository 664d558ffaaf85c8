// GET /v1/files/{id}?expires=…&sig=… — a generated or uploaded file, through its signed URL
import { api } from "@/lib/http/api";
import { serveFile } from "@/lib/storage/serve";

export const GET = api<{ id: string }, "none">(
  async ({ request, params }) => {
    const file = await serveFile(new URL(request.url).searchParams, params.id);
    return new Response(file.bytes as Uint8Array<ArrayBuffer>, { headers: file.headers });
  },
  { auth: "none", limit: "files" },
);
