import "server-only";
import sharp from "sharp";
import type { FileRecord } from "@/db/schema";
import { blobStore } from "./blob-store";
import { readFileBytes } from "./files";

/** Gallery thumbnails: WebP, at most this many pixels on the longer side. */
const THUMBNAIL_SIDE = 512;

/** Where a file's thumbnail is kept, sharded like the files themselves. */
export const thumbnailKeyOf = (fileId: string) => `thumbnail/${fileId.slice(-2)}/${fileId}.webp`;

/**
 * The WebP thumbnail of an image file, made with sharp on its first request and kept beside
 * it. Made on demand rather than when a job finishes, so that thumbnailing never slows the
 * queue and images nobody browses cost nothing. Two first requests at once both make it; the
 * store's atomic write keeps one. null when the file's bytes are gone.
 */
export async function thumbnailOf(file: FileRecord): Promise<Buffer | null> {
  const key = thumbnailKeyOf(file.id);
  const cached = await blobStore().get(key);
  if (cached) return cached;
  const original = await readFileBytes(file);
  if (!original) return null;
  const thumbnail = await sharp(original, { limitInputPixels: 64_000_000 })
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 78, effort: 2 })
    .toBuffer();
  await blobStore().put(key, thumbnail, { contentType: "image/webp" });
  return thumbnail;
}
