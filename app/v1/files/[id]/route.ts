// GET /v1/files/{id}?expires=…&sig=… — a generated or uploaded file, through its signed URL
import { api } from "@/lib/http/api";
import { serveFile } from "@/lib/storage/serve";

export const GET = api<{ id: string }, "none">(
  async ({ request, params }) => serveFile(new URL(request.url), params.id),
  { auth: "none", limit: "files" },
);
