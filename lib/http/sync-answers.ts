// What the synchronous surfaces (the OpenAI Images API, the image API) add to the one route
// wrapper: no answer of theirs invites an SDK's automatic retry to start (and pay for) a second
// job — the OpenAI SDK retries 408, 409, 429 and 5xx unless told `x-should-retry: false`.
// A 429 is the exception: refused before any job was made, it is safe to retry.

type Route<C> = (request: Request, context: C) => Promise<Response>;

export function neverRetriedAfterAJob<C>(route: Route<C>): Route<C> {
  return async (request, context) => {
    const response = await route(request, context);
    if (response.status >= 400 && response.status !== 429 && !response.headers.has("x-should-retry")) {
      response.headers.set("x-should-retry", "false");
    }
    return response;
  };
}

/** The headers that say a fallback served a job: as `X-Easel-Fallback: true` and the layer. */
export function fallbackHeaders(job: { fallbackLayer: number | null } | { fallback_layer: number | null }): Record<string, string> {
  const layer = "fallbackLayer" in job ? job.fallbackLayer : job.fallback_layer;
  return layer && layer > 0 ? { "X-Easel-Fallback": "true", "X-Easel-Fallback-Layer": String(layer) } : {};
}
