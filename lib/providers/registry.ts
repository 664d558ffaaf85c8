import "server-only";
import { MODELS, type ImageModel, type ProviderId } from "@/lib/catalog";
import { bflUpstream } from "./bfl";
import { providerConcurrency } from "./concurrency";
import { falUpstream } from "./fal";
import { geminiUpstream } from "./gemini";
import { ideogramUpstream } from "./ideogram";
import { localRenderer } from "./local";
import { minimaxUpstream } from "./minimax";
import { openaiUpstream } from "./openai";
import { recraftUpstream } from "./recraft";
import type { ImageProvider } from "./types";
import type { Env, Upstream } from "./upstream";
import { vertexUpstream } from "./vertex";

// Which upstreams serve a model, in the order of its `providers`. An upstream is enabled by its
// key in the environment (FAL_KEY, OPENAI_API_KEY, ...); the local renderer is always the last
// resort, so with no keys every model is served locally.
export const UPSTREAMS: readonly Upstream[] = [
  recraftUpstream,
  bflUpstream,
  ideogramUpstream,
  openaiUpstream,
  minimaxUpstream,
  vertexUpstream,
  geminiUpstream,
  falUpstream,
];

const byId = new Map<ProviderId, Upstream>(UPSTREAMS.map((upstream) => [upstream.id, upstream]));

// Adapters keep state worth keeping (an OAuth token until it expires, keep-alive sockets), so
// one is made per upstream and configuration, and made again when the configuration changes.
const adapters = new Map<string, ImageProvider>();

function adapterFor(upstream: Upstream, env: Env): ImageProvider {
  const key = `${upstream.id}:${JSON.stringify(upstream.variables.map((name) => env[name] ?? null))}`;
  let adapter = adapters.get(key);
  if (!adapter) {
    adapter = upstream.create(env);
    adapters.set(key, adapter);
  }
  return adapter;
}

/** The providers to try for `model`, first choice first. Never empty. */
export function providerChain(model: ImageModel, env: Env = process.env): ImageProvider[] {
  const chain: ImageProvider[] = [];
  for (const id of model.providers) {
    if (id === "local") {
      chain.push(localRenderer);
      continue;
    }
    const upstream = byId.get(id);
    if (upstream && upstream.disabledReason(env) === undefined) chain.push(adapterFor(upstream, env));
  }
  return chain.length > 0 ? chain : [localRenderer];
}

export type UpstreamStatus = { id: ProviderId; name: string; enabled: boolean; reason: string; variables: readonly string[] };

/** Every upstream, enabled or not and why: for operators (`npm run easel -- providers`). */
export function upstreamStatuses(env: Env = process.env): UpstreamStatus[] {
  const ids = new Set<ProviderId>(MODELS.flatMap((model) => model.providers).filter((id) => id !== "local"));
  return [...ids].map((id) => {
    const upstream = byId.get(id);
    if (!upstream) return { id, name: id, enabled: false, reason: "no adapter is built in", variables: [] };
    const reason = upstream.disabledReason(env);
    return { id, name: upstream.name, enabled: reason === undefined, reason: reason ?? "enabled", variables: upstream.variables };
  });
}

/** Stops a worker whose EASEL_PROVIDER_CONCURRENCY_<NAME> cannot be read, at start rather than per job. */
export function checkProviderConcurrency(env: Env = process.env): void {
  for (const id of [...UPSTREAMS.map((upstream) => upstream.id), "local" as const]) providerConcurrency(id, env);
}

/** The upstream named `id`, for a one-off check (`npm run easel -- providers:check NAME`). */
export function findUpstream(id: string): Upstream | undefined {
  return byId.get(id as ProviderId);
}

export function adapterOf(upstream: Upstream, env: Env = process.env): ImageProvider {
  return adapterFor(upstream, env);
}
