import { MAX_EVENT_BYTES, receiveStripeWebhook } from "@/lib/billing/stripe/webhook";
import { readBytes } from "@/lib/http/body";
import { ApiError, toApiError } from "@/lib/http/errors";
import { publicOrigin } from "@/lib/http/origin";

// POST /api/stripe/webhook — Stripe's events: signature verified on the raw body, allowlisted,
// each processed once (lib/billing/stripe/webhook.ts). Not a /v1 route: Stripe authenticates
// with its signature, not an API key, so the `api()` wrapper does not fit. Any answer but a 2xx
// makes Stripe send the event again later.
const NO_STORE = { "Cache-Control": "no-store" };

export async function POST(request: Request): Promise<Response> {
  try {
    const receipt = await receiveStripeWebhook({
      signature: request.headers.get("stripe-signature"),
      readPayload: () => readBytes(request, MAX_EVENT_BYTES),
    });
    return Response.json(receipt, { headers: NO_STORE });
  } catch (error) {
    const answer = toApiError(error, publicOrigin(request)) ?? new ApiError(500, "internal_error", "Processing the event failed; it will be retried.");
    return Response.json(answer.toJSON(), { status: answer.status, headers: { ...answer.headers, ...NO_STORE } });
  }
}
