// POST /v1/uploads — store a reference image (multipart, ≤ 20 MB) and return a URL usable as image_url
import { api, json } from "@/lib/http/api";
import { publicOrigin } from "@/lib/http/origin";
import { signFileUrl } from "@/lib/storage/signed-urls";
import { receiveUpload } from "@/lib/storage/uploads";

export const POST = api(
  async ({ request, principal }) => {
    const file = await receiveUpload(request, principal.accountId);
    const { url, expiresAt } = signFileUrl(file.id, publicOrigin(request), { ttlSeconds: 24 * 60 * 60 });
    return json(
      {
        id: file.id,
        object: "file",
        purpose: file.purpose,
        content_type: file.contentType,
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
