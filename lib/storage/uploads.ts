import "server-only";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { selectRows, withTransaction } from "@/db/client";
import { files, type FileRecord } from "@/db/schema";
import { tierFor } from "@/lib/billing/tiers";
import { AccessDenied, invalidInput } from "@/lib/errors";
import { deleteFileBytes, writeFileBytes } from "./files";

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/**
 * The most pixels a reference image may have: far more than any model takes (they are resized
 * to a few megapixels), and well under what sharp is allowed to decode for a thumbnail.
 */
export const MAX_UPLOAD_PIXELS = 40_000_000;
/** How long an upload is kept unless a queued or running job still refers to it. */
export const UPLOAD_TTL_HOURS = 24;
/** Stored upload bytes an account may hold at once, by tier (uploads expire after a day). */
export const UPLOAD_QUOTA_BYTES: readonly number[] = [100, 250, 1024, 2048, 5120].map((mb) => mb * 1024 * 1024);

const ACCEPTED = new Map([
  ["png", "image/png"],
  ["jpeg", "image/jpeg"],
  ["webp", "image/webp"],
]);

/**
 * Stores a reference image of at most 20 MB and 40 MP (the route reads it from
 * multipart/form-data): a PNG, JPEG or WebP judged by its content (never by its name or declared
 * type). What is stored is the image re-encoded by sharp — the pixels only: no metadata, no
 * trailing bytes, nothing else a file can smuggle in — and it counts against the account's
 * upload quota.
 */
export async function storeUpload(input: { accountId: string; bytes: Buffer }): Promise<FileRecord> {
  const image = await reencode(input.bytes);
  return storeWithinQuota(input.accountId, image);
}

type Reencoded = { bytes: Buffer; contentType: string; width: number; height: number };

/** The image decoded and encoded again in its own format, upright, without metadata. */
export async function reencode(bytes: Buffer): Promise<Reencoded> {
  const unsupported = () => invalidInput("unsupported_file_type", "The file is not a PNG, JPEG or WebP image.", "file");
  // The header first: a decompression bomb is refused before a pixel is decoded.
  // (sharp throws at once, not in the promise, on an empty buffer)
  const meta = await Promise.resolve()
    .then(() => sharp(bytes).metadata())
    .catch(() => null);
  const contentType = meta?.format ? ACCEPTED.get(meta.format) : undefined;
  if (!meta || !contentType || !meta.width || !meta.height) throw unsupported();
  if (meta.width * meta.height > MAX_UPLOAD_PIXELS) {
    throw invalidInput("image_too_large", `The image has more than ${MAX_UPLOAD_PIXELS / 1_000_000} megapixels; scale it down first.`, "file");
  }
  try {
    // Default sharp output carries no metadata; rotate() first applies the EXIF orientation.
    const pipeline = sharp(bytes, { limitInputPixels: MAX_UPLOAD_PIXELS, failOn: "error" }).rotate();
    const encoded =
      meta.format === "png"
        ? pipeline.png({ compressionLevel: 6 })
        : meta.format === "jpeg"
          ? pipeline.jpeg({ quality: 90, mozjpeg: false })
          : pipeline.webp({ quality: 90 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { bytes: data, contentType, width: info.width, height: info.height };
  } catch {
    throw unsupported(); // the header was an image's; the rest of the file is not
  }
}

/**
 * Writes the bytes, then records the file if the account's stored uploads stay within its
 * tier's quota — checked and inserted under the account's row lock, so concurrent uploads
 * cannot together pass it. A refused upload leaves no bytes behind.
 */
async function storeWithinQuota(accountId: string, image: Reencoded): Promise<FileRecord> {
  const record = await writeFileBytes({ accountId, purpose: "upload", ...image });
  try {
    await withTransaction(async (tx) => {
      const [account] = await selectRows<{ deposits: string; tier_override: number | null; tier_override_until: string | Date | null }>(
        tx,
        sql`select lifetime_deposits_micros as deposits, tier_override, tier_override_until from credit_accounts where id = ${accountId} for update`,
      );
      const override = account?.tier_override != null ? { tier: account.tier_override, until: account.tier_override_until ? new Date(account.tier_override_until) : null } : null;
      const tier = tierFor(BigInt(account?.deposits ?? 0), override).tier;
      const quota = UPLOAD_QUOTA_BYTES[tier] ?? UPLOAD_QUOTA_BYTES[0]!;
      const [used] = await selectRows<{ bytes: string | null }>(
        tx,
        sql`select sum(byte_size) as bytes from files where account_id = ${accountId} and purpose = 'upload'`,
      );
      if (Number(used?.bytes ?? 0) + record.byteSize > quota) {
        throw new AccessDenied(
          "upload_quota_exceeded",
          `Your uploads may take ${quota / 1024 / 1024} MB at once on tier ${tier}; uploads are deleted ${UPLOAD_TTL_HOURS} hours after they are made.`,
        );
      }
      await tx.insert(files).values(record);
    });
  } catch (error) {
    await deleteFileBytes([record]).catch(() => {});
    throw error;
  }
  return record;
}
