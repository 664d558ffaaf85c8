// The file endpoints of the OpenAPI document, merged into it by lib/http/openapi.ts.
import * as z from "zod";
import type { Operations } from "@/lib/http/openapi-operation";
import { fileObjectSchema, fileQuerySchema, uploadBodySchema } from "./schemas";

export const FILE_OPERATIONS: Operations = {
  "/v1/uploads": {
    post: {
      operationId: "uploadFile",
      tag: "Files",
      summary: "Upload a reference image",
      description: "Stores a PNG, JPEG or WebP image (at most 20 MB) and returns a signed URL usable as image_url.",
      auth: true,
      writes: true,
      body: { schema: uploadBodySchema, contentType: "multipart/form-data" },
      ok: { 201: { description: "The stored file.", schema: fileObjectSchema } },
      errors: ["unsupported_media_type", "invalid_multipart", "file_required", "unsupported_file_type", "image_too_large", "upload_quota_exceeded", "payload_too_large"],
    },
  },
  "/v1/files/{id}": {
    get: {
      operationId: "getFile",
      tag: "Files",
      summary: "Download a file",
      description: "A generated or uploaded file through its signed URL (as found in a job or an upload). The signature is the credential. Streamed by the app, or, with presigned file URLs, a redirect to the bucket.",
      auth: false,
      path: z.object({ id: z.string().meta({ description: "The file's id.", example: "file_01jd7k3m9x2c4v6b8n0p2r4t6w" }) }),
      query: fileQuerySchema,
      ok: {
        200: {
          description: "The image (PNG, JPEG, WebP or SVG; the thumbnail variant is WebP).",
          schema: z.string().meta({ format: "binary" }),
          contentType: "image/*",
          headers: { "Content-Disposition": z.string().meta({ description: "inline, or attachment with ?download." }) },
        },
        302: {
          description: "With presigned file URLs (EASEL_FILE_URLS=presigned): the bucket serves the file; follow Location.",
          headers: { Location: z.url().meta({ description: "A presigned URL of the bucket, valid for at least 15 minutes." }) },
        },
      },
      errors: ["invalid_signature", "url_expired", "file_not_found"],
    },
  },
};
