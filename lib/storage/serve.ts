import "server-only";
import { AccessDenied, NotFound } from "@/lib/errors";
import { fileDisposition, fileUrlMode, presignedFileUrl } from "./file-urls";
import { findFile, openFileBytes } from "./files";
import { checkFileSignature } from "./signed-urls";
import { thumbnailOf } from "./thumbnails";

const FILE_ID = /^file_[0-9a-z]{26}$/;

const notFound = () => new NotFound("file_not_found", "No such file.");

/**
 * A stored file for a signed URL. The signature is the only credential, so the URL can go in
 * an <img> tag or to an upstream provider. Whatever the type, the response cannot run script in
 * our origin: `Content-Security-Policy: sandbox` (an SVG opened directly is inert) and nosniff.
 * `?variant=thumbnail` serves the file's WebP thumbnail instead (not signed separately: it is
 * derived from the same file). With presigned file URLs, the answer is a redirect to the bucket.
 */
export type ServedFile =
  | { body: ReadableStream<Uint8Array> | Uint8Array; headers: Record<string, string> }
  | { redirectTo: string; headers: Record<string, string> };

/** `query` is the signed URL's query: expires, sig, and optionally variant and download. */
export async function serveFile(query: URLSearchParams, fileId: string): Promise<ServedFile> {
  if (!FILE_ID.test(fileId)) throw notFound();
  const check = checkFileSignature(fileId, query.get("expires"), query.get("sig"));
  if (check === "invalid") throw new AccessDenied("invalid_signature", "This file URL is not valid. Get a fresh one from the API.");
  if (check === "expired") throw new AccessDenied("url_expired", "This file URL has expired. Get a fresh one from the API.");

  const file = await findFile(fileId);
  if (!file) throw notFound();
  const thumbnail = query.get("variant") === "thumbnail";
  const download = query.has("download");
  // The thumbnail is made on its first request, whoever serves it.
  const thumbnailBytes = thumbnail ? await thumbnailOf(file) : null;
  if (thumbnail && !thumbnailBytes) throw notFound();

  const secondsLeft = Math.max(0, Number(query.get("expires")) - Math.floor(Date.now() / 1000));
  const cacheControl = `private, max-age=${secondsLeft}, immutable`;
  if (fileUrlMode() === "presigned") {
    const location = await presignedFileUrl(file, { variant: thumbnail ? "thumbnail" : undefined, download, ttlSeconds: 15 * 60 });
    return { redirectTo: location, headers: { Location: location, "Cache-Control": "private, max-age=60" } };
  }

  const contentType = thumbnail ? "image/webp" : file.contentType;
  const opened = thumbnailBytes ? { body: new Uint8Array(thumbnailBytes), size: thumbnailBytes.length } : await openFileBytes(file);
  if (!opened) throw notFound();
  return {
    body: opened.body,
    headers: {
      "Content-Type": contentType,
      "Content-Length": String(opened.size),
      "Content-Disposition": fileDisposition(file, contentType, download),
      "Cache-Control": cacheControl,
      "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox",
      "X-Content-Type-Options": "nosniff",
      "Cross-Origin-Resource-Policy": "cross-origin",
    },
  };
}
