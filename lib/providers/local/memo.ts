// A small LRU of recently rendered images. Rendering is deterministic, so an identical request
// (a retry, a benchmark, the same prompt twice) can reuse the bytes. Bounded by entries and by
// bytes, since a 4-megapixel edit can weigh several megabytes.
import { createHash } from "node:crypto";
import type { GeneratedImage } from "../types";
import type { RenderInput } from "./render";

/** Everything a rendering depends on, hashed; references by their bytes. */
export function renderKey(input: RenderInput): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([input.model.id, input.text, input.seed ?? null, input.width, input.height, input.index]));
  for (const reference of input.references) hash.update(createHash("sha256").update(reference.bytes).digest());
  return hash.digest("hex");
}

export class RenderMemo {
  private readonly entries = new Map<string, GeneratedImage>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  /** A copy of the cached image: callers own what they get and may not corrupt the cache. */
  get(key: string): GeneratedImage | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return { ...hit, bytes: Buffer.from(hit.bytes) };
  }

  /** Stores a private copy of `image`. */
  set(key: string, image: GeneratedImage): void {
    if (image.bytes.length > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.bytes -= previous.bytes.length;
      this.entries.delete(key);
    }
    this.entries.set(key, { ...image, bytes: Buffer.from(image.bytes) });
    this.bytes += image.bytes.length;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes.length;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}
