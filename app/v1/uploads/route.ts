// POST /v1/uploads — store a reference image (multipart, ≤ 20 MB) and return a URL usable as image_url
import { api, reply } from "@/lib/http/api";
import { readFormFile } from "@/lib/http/multipart";
import { fileObjectSchema } from "@/lib/storage/schemas";
import { signFileUrl } from "@/lib/storage/signed-urls";
import { MAX_UPLOAD_BYTES, storeUpload } from "@/lib/storage/uploads";

export const POST = api(
  async ({ request, principal, origin }) => {
    const bytes = await readFormFile(request, { field: "file", maxFileBytes: MAX_UPLOAD_BYTES });
    const file = await storeUpload({ accountId: principal.accountId, bytes });
    const { url, expiresAt } = signFileUrl(file.id, origin, { ttlSeconds: 24 * 60 * 60 });
    return reply(
      fileObjectSchema,
      {
        id: file.id,
        object: "file",
        purpose: "upload",
        content_type: file.contentType as "image/png" | "image/jpeg" | "image/webp",
        bytes: file.byteSize,
        width: file.width,
        height: file.height,
        created_at: file.createdAt.toISOString(),
        url,
        expires_at: expiresAt.toISOString(),
      },
      { status: 201 },
    );
  },
  { auth: "key-or-session" },
);
