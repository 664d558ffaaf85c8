import "server-only";
import sharp from "sharp";
import type { Job } from "@/db/schema";
import { fetchImage } from "@/lib/net/safe-fetch";
import type { ReferenceImage } from "@/lib/providers/types";
import { findAccountFile, readFileBytes } from "@/lib/storage/files";
import { ownFileId } from "@/lib/storage/signed-urls";

/** A reference that cannot be used; the job fails with `invalid_image_url` and is refunded. */
export class ReferenceError extends Error {
  readonly code = "invalid_image_url";
}

const USABLE = new Set(["png", "jpeg", "webp"]);

/**
 * The job's reference images, in order. Our own signed file URLs (uploads, earlier outputs of
 * the same account) are read from storage; anything else is fetched only through the
 * SSRF-safe fetcher. Every image is decoded to be sure it is one.
 */
export async function loadReferences(job: Job, signal: AbortSignal): Promise<ReferenceImage[]> {
  const urls = job.params.image_urls ?? [];
  return Promise.all(urls.map((url, index) => loadOne(job, url, index, signal)));
}

async function loadOne(job: Job, url: string, index: number, signal: AbortSignal): Promise<ReferenceImage> {
  const label = `Reference image ${index + 1}`;
  let bytes: Buffer;
  const fileId = ownFileId(url);
  if (fileId) {
    const file = await findAccountFile({ accountId: job.accountId, fileId });
    const stored = file ? await readFileBytes(file) : null;
    if (!stored) throw new ReferenceError(`${label} is not a file of this account.`);
    bytes = stored;
  } else {
    try {
      bytes = (await fetchImage(url, { signal })).bytes;
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ReferenceError(`${label}: ${(error as Error).message}`, { cause: error });
    }
  }
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.format || !USABLE.has(meta.format) || !meta.width || !meta.height) throw new Error(meta.format);
    return { bytes, contentType: `image/${meta.format}`, width: meta.width, height: meta.height };
  } catch (error) {
    throw new ReferenceError(`${label} is not a PNG, JPEG or WebP image.`, { cause: error });
  }
}
