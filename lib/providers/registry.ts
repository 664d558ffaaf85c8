import "server-only";
import type { ImageModel, ProviderId } from "@/lib/catalog";
import { localRenderer } from "./local";
import type { ImageProvider } from "./types";

// Which upstreams serve a model, in order. An upstream is enabled by its key in the
// environment (FAL_KEY, OPENAI_API_KEY, ...); the local renderer is always available, so with
// no keys every model is served locally. Upstream adapters register here as they are written.
const UPSTREAMS: Partial<Record<Exclude<ProviderId, "local">, { key: string; create: () => ImageProvider }>> = {};

/** The providers to try for `model`, first choice first. Never empty. */
export function providerChain(model: ImageModel): ImageProvider[] {
  const chain: ImageProvider[] = [];
  for (const id of model.providers) {
    if (id === "local") {
      chain.push(localRenderer);
      continue;
    }
    const upstream = UPSTREAMS[id];
    if (upstream && process.env[upstream.key]) chain.push(upstream.create());
  }
  return chain.length > 0 ? chain : [localRenderer];
}
