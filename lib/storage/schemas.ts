// The stored file's shapes on the wire, in zod: POST /v1/uploads' answer and the signed URL's
// query of GET /v1/files/{id}. The OpenAPI document is generated from them.
import * as z from "zod";

export const fileObjectSchema = z
  .object({
    id: z.string().meta({ example: "file_01jd7k3m9x2c4v6b8n0p2r4t6w" }),
    object: z.literal("file"),
    purpose: z.literal("upload"),
    content_type: z.enum(["image/png", "image/jpeg", "image/webp"]),
    bytes: z.int(),
    width: z.int().nullable(),
    height: z.int().nullable(),
    created_at: z.iso.datetime(),
    url: z.url().meta({ description: "A signed URL, usable as image_url, valid for 24 hours." }),
    expires_at: z.iso.datetime(),
  })
  .meta({ id: "File" });

export type FileObject = z.output<typeof fileObjectSchema>;

/** The signed URL's own query: checked by serveFile, not parsed here. */
export const fileQuerySchema = z.object({
  expires: z.string().meta({ description: "Unix time the URL stops working (part of the signature)." }),
  sig: z.string().meta({ description: "The URL's signature." }),
  variant: z.enum(["thumbnail"]).optional().meta({ description: "A small WebP preview instead of the file." }),
  download: z.string().optional().meta({ description: "Present: served as an attachment." }),
});

export const uploadBodySchema = z
  .object({ file: z.string().meta({ format: "binary", description: "A PNG, JPEG or WebP image of at most 20 MB." }) })
  .meta({ id: "UploadRequest" });
