import "server-only";
import sharp from "sharp";
import type { FileRecord } from "@/db/schema";
import { readBytes } from "@/lib/http/body";
import { ApiError, invalidRequest } from "@/lib/http/errors";
import { storeFile } from "./files";

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** Room for the multipart envelope around a maximal file. */
const ENVELOPE_BYTES = 64 * 1024;
const ACCEPTED = new Map([
  ["png", "image/png"],
  ["jpeg", "image/jpeg"],
  ["webp", "image/webp"],
]);

/**
 * Receives a reference image: multipart/form-data with one `file` field, at most 20 MB, a PNG,
 * JPEG or WebP judged by its content (never by its name or declared type).
 */
export async function receiveUpload(request: Request, accountId: string): Promise<FileRecord> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw new ApiError(415, "unsupported_media_type", "Send the image as multipart/form-data with a `file` field.");
  }
  const body = await readBytes(request, MAX_UPLOAD_BYTES + ENVELOPE_BYTES);

  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch {
    throw invalidRequest("invalid_multipart", "The multipart body could not be read.");
  }
  const file = form.get("file");
  if (!(file instanceof Blob)) throw invalidRequest("file_required", "Send the image in a form field named `file`.", "file");
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new ApiError(413, "payload_too_large", `The image is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  }

  const bytes = Buffer.from(await file.arrayBuffer());
  const meta = await sharp(bytes)
    .metadata()
    .catch(() => null);
  const contentType = meta?.format ? ACCEPTED.get(meta.format) : undefined;
  if (!meta || !contentType || !meta.width || !meta.height) {
    throw invalidRequest("unsupported_file_type", "The file is not a PNG, JPEG or WebP image.", "file");
  }
  return storeFile({ accountId, purpose: "upload", bytes, contentType, width: meta.width, height: meta.height });
}
