import "server-only";
import type { FileRecord } from "@/db/schema";
import { blobStore } from "./blob-store";
import { FILE_EXTENSIONS, storageKeyOf } from "./files";
import { signFileUrl, urlWindow } from "./signed-urls";
import { thumbnailKeyOf } from "./thumbnails";

// Where clients fetch files from. `EASEL_FILE_URLS=signed` (the default): our own signed
// /v1/files URLs, the bytes streamed by the app. `presigned`: the bucket's presigned URLs, so
// that image bytes never pass through an app instance; our /v1/files URLs (uploads,
// thumbnails) then answer with a redirect to one.

export type FileUrlMode = "signed" | "presigned";

export function fileUrlMode(env: Readonly<Record<string, string | undefined>> = process.env): FileUrlMode {
  const mode = env.EASEL_FILE_URLS?.trim() || "signed";
  if (mode !== "signed" && mode !== "presigned") throw new Error(`EASEL_FILE_URLS must be "signed" or "presigned", not "${mode}".`);
  return mode;
}

/** Stops a server whose file URL settings cannot work, at start rather than on each request. */
export function checkFileUrlSettings(): void {
  if (fileUrlMode() === "presigned" && !blobStore().presign) {
    throw new Error("EASEL_FILE_URLS=presigned needs files in S3-compatible storage: set S3_BUCKET too.");
  }
}

type FileRef = Pick<FileRecord, "id" | "purpose" | "contentType">;
type UrlOptions = { variant?: "thumbnail"; download?: boolean; ttlSeconds?: number };

/** How a file is offered to the browser: its type and name, inline or as a download. */
export function fileDisposition(file: Pick<FileRecord, "id">, contentType: string, download: boolean): string {
  return `${download ? "attachment" : "inline"}; filename="${file.id}.${FILE_EXTENSIONS[contentType] ?? "bin"}"`;
}

/** The URL a client downloads the file (or its thumbnail) from, in this server's mode. */
export async function fileUrl(file: FileRef, origin: string, options: UrlOptions = {}): Promise<string> {
  if (fileUrlMode() === "presigned") return presignedFileUrl(file, options);
  return signFileUrl(file.id, origin, { ttlSeconds: options.ttlSeconds, variant: options.variant }).url;
}

/**
 * A presigned URL of the bucket, answering with the headers we would (type, disposition,
 * caching). The same within one expiry step, like our signed URLs. A thumbnail must exist
 * before its URL is given out.
 */
export async function presignedFileUrl(file: FileRef, options: UrlOptions = {}): Promise<string> {
  const store = blobStore();
  if (!store.presign) throw new Error("EASEL_FILE_URLS=presigned needs files in S3-compatible storage: set S3_BUCKET.");
  const { expires, stepStart, stepEnd } = urlWindow({ ttlSeconds: options.ttlSeconds });
  const thumbnail = options.variant === "thumbnail";
  const contentType = thumbnail ? "image/webp" : file.contentType;
  return store.presign(thumbnail ? thumbnailKeyOf(file.id) : storageKeyOf(file), {
    signedAt: new Date(stepStart * 1000),
    expiresAt: new Date(expires * 1000),
    contentType,
    contentDisposition: fileDisposition(file, contentType, options.download ?? false),
    cacheControl: `private, max-age=${expires - stepEnd}, immutable`,
  });
}
