import "server-only";
import { AccessDenied, NotFound } from "@/lib/errors";
import { findFile, readFileBytes } from "./files";
import { checkFileSignature } from "./signed-urls";
import { thumbnailOf } from "./thumbnails";

const FILE_ID = /^file_[0-9a-z]{26}$/;
const EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/svg+xml": "svg" };

const notFound = () => new NotFound("file_not_found", "No such file.");

/**
 * A stored file for a signed URL. The signature is the only credential, so the URL can go in
 * an <img> tag or to an upstream provider. Whatever the type, the response cannot run script in
 * our origin: `Content-Security-Policy: sandbox` (an SVG opened directly is inert) and nosniff.
 * `?variant=thumbnail` serves the file's WebP thumbnail instead (not signed separately: it is
 * derived from the same file).
 */
export type ServedFile = { bytes: Uint8Array; headers: Record<string, string> };

/** `query` is the signed URL's query: expires, sig, and optionally variant and download. */
export async function serveFile(query: URLSearchParams, fileId: string): Promise<ServedFile> {
  if (!FILE_ID.test(fileId)) throw notFound();
  const check = checkFileSignature(fileId, query.get("expires"), query.get("sig"));
  if (check === "invalid") throw new AccessDenied("invalid_signature", "This file URL is not valid. Get a fresh one from the API.");
  if (check === "expired") throw new AccessDenied("url_expired", "This file URL has expired. Get a fresh one from the API.");

  const file = await findFile(fileId);
  const original = file ? await readFileBytes(file) : null;
  if (!file || !original) throw notFound();
  const thumbnail = query.get("variant") === "thumbnail";
  const bytes = thumbnail ? await thumbnailOf(file, original) : original;
  const contentType = thumbnail ? "image/webp" : file.contentType;

  const secondsLeft = Math.max(0, Number(query.get("expires")) - Math.floor(Date.now() / 1000));
  const disposition = query.has("download") ? "attachment" : "inline";
  return {
    bytes: new Uint8Array(bytes),
    headers: {
      "Content-Type": contentType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": `${disposition}; filename="${file.id}.${EXTENSIONS[contentType] ?? "bin"}"`,
      "Cache-Control": `private, max-age=${secondsLeft}, immutable`,
      "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox",
      "X-Content-Type-Options": "nosniff",
      "Cross-Origin-Resource-Policy": "cross-origin",
    },
  };
}
