import "server-only";
import sharp from "sharp";
import type { FileRecord } from "@/db/schema";
import { invalidInput } from "@/lib/errors";
import { storeFile } from "./files";

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const ACCEPTED = new Map([
  ["png", "image/png"],
  ["jpeg", "image/jpeg"],
  ["webp", "image/webp"],
]);

/**
 * Stores a reference image of at most 20 MB (the route reads it from multipart/form-data): a
 * PNG, JPEG or WebP judged by its content (never by its name or declared type).
 */
export async function storeUpload(input: { accountId: string; bytes: Buffer }): Promise<FileRecord> {
  const { accountId, bytes } = input;
  const meta = await sharp(bytes)
    .metadata()
    .catch(() => null);
  const contentType = meta?.format ? ACCEPTED.get(meta.format) : undefined;
  if (!meta || !contentType || !meta.width || !meta.height) {
    throw invalidInput("unsupported_file_type", "The file is not a PNG, JPEG or WebP image.", "file");
  }
  return storeFile({ accountId, purpose: "upload", bytes, contentType, width: meta.width, height: meta.height });
}
