import "server-only";
import sharp from "sharp";
import { ProviderError, type GeneratedImage } from "./types";

/**
 * An upstream's image bytes as a delivered image, with the dimensions and format read from the
 * bytes themselves: what the upstream says it returned is not taken on trust. Bytes that are not
 * an image are the upstream breaking its protocol.
 */
export async function describeImage(name: string, bytes: Buffer, upstreamRequestId?: string): Promise<GeneratedImage> {
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.format || !meta.width || !meta.height) throw new Error(`format ${meta.format ?? "unknown"}`);
    return { bytes, contentType: `image/${meta.format}`, width: meta.width, height: meta.height };
  } catch (error) {
    throw new ProviderError("upstream", "provider_error", `${name} returned bytes that are not an image.`, { cause: error, upstreamRequestId });
  }
}
