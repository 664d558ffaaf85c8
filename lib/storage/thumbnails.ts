import "server-only";
import sharp from "sharp";
import type { FileRecord } from "@/db/schema";
import { blobStore } from "./blob-store";

/** Gallery thumbnails: WebP, at most this many pixels on the longer side. */
const THUMBNAIL_SIDE = 512;

/**
 * The WebP thumbnail of an image file, made with sharp on its first request and kept beside
 * it. Made on demand rather than when a job finishes, so that thumbnailing never slows the
 * queue and images nobody browses cost nothing. Two first requests at once both make it; the
 * store's atomic write keeps one.
 */
export async function thumbnailOf(file: FileRecord, original: Buffer): Promise<Buffer> {
  const key = `thumbnail/${file.id.slice(-2)}/${file.id}.webp`; // sharded like the files themselves
  const cached = await blobStore().get(key);
  if (cached) return cached;
  const thumbnail = await sharp(original, { limitInputPixels: 64_000_000 })
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 78, effort: 2 })
    .toBuffer();
  await blobStore().put(key, thumbnail);
  return thumbnail;
}
