import "server-only";
import { randomUUID } from "node:crypto";
import { estimateCost, MODELS, resolveSize, type ImageModel } from "@/lib/catalog";
import { providerConcurrency } from "./concurrency";
import { adapterOf, findUpstream, providerChain, upstreamStatuses } from "./registry";
import type { Env } from "./upstream";

// What operators ask of the providers: which upstreams are on and why, which chain each model
// would use now, and whether one upstream answers with the configured key.

/** The report of `npm run easel -- providers`. */
export function describeProviders(env: Env = process.env): string {
  const lines = ["Upstreams:"];
  for (const status of upstreamStatuses(env)) {
    const state = status.enabled ? "enabled " : "disabled";
    const detail = status.enabled ? "" : ` (${status.reason})`;
    const cap = providerConcurrency(status.id, env);
    lines.push(`  ${status.id.padEnd(8)} ${state} ${status.name}${detail}${cap === null ? "" : `, at most ${cap} calls at once per worker`}`);
  }
  lines.push("", "Chains now (first choice first; the local renderer when no upstream is enabled):");
  for (const model of MODELS) {
    lines.push(`  ${model.id.padEnd(22)} ${providerChain(model, env).map((provider) => provider.id).join(" → ")}`);
  }
  return lines.join("\n");
}

/** The cheapest request an upstream serves: its cheapest model, one image, the default size. */
function cheapestModelOf(id: string): ImageModel | undefined {
  const served = MODELS.filter((model) => model.providers.includes(id as ImageModel["providers"][number]) && !model.capabilities.includes("image_required"));
  const price = (model: ImageModel) => {
    const size = resolveSize(model.defaultSize, model.sizes, model.customSize)!;
    return estimateCost(model, { width: size.width, height: size.height, n: 1, quality: "low" }).totalMicros;
  };
  return served.sort((a, b) => (price(a) < price(b) ? -1 : price(a) > price(b) ? 1 : 0))[0];
}

/**
 * One real call to upstream `id` with the configured key, through the same adapter the worker
 * uses: the cheapest model it serves, one image. Resolves to a one-line report; throws the
 * adapter's error when the call fails.
 */
export async function checkProvider(id: string, env: Env = process.env, signal = AbortSignal.timeout(180_000)): Promise<string> {
  const upstream = findUpstream(id);
  if (!upstream) throw new Error(`No upstream named ${id}. Known: ${upstreamStatuses(env).map((s) => s.id).join(", ")}`);
  const disabled = upstream.disabledReason(env);
  if (disabled) throw new Error(`${upstream.name} is disabled: ${disabled}`);
  const model = cheapestModelOf(id);
  if (!model) throw new Error(`No model is served by ${id}`);
  const size = resolveSize(model.defaultSize, model.sizes, model.customSize)!;
  const started = performance.now();
  const result = await adapterOf(upstream, env).generate(
    {
      jobId: `check_${randomUUID()}`,
      model,
      prompt: "A small red circle on a white background",
      size: size.size,
      width: size.width,
      height: size.height,
      n: 1,
      quality: "low",
      references: [],
    },
    signal,
  );
  const image = result.images[0];
  if (!image) throw new Error(`${upstream.name} answered with no image`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return `${upstream.name}: ok — ${model.id}, ${image.contentType}, ${image.bytes.length} bytes in ${seconds} s${result.upstreamRequestId ? `, request ${result.upstreamRequestId}` : ""}`;
}
