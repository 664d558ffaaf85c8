import { MAX_EVENT_BYTES, receiveStripeWebhook } from "@/lib/billing/stripe/webhook";
import { readBytes } from "@/lib/http/body";

// POST /api/stripe/webhook — Stripe's events: signature verified on the raw body, allowlisted,
// each processed once (lib/billing/stripe/webhook.ts). Not a /v1 route: Stripe authenticates
// with its signature, not an API key, so the `api()` wrapper does not fit.
export async function POST(request: Request): Promise<Response> {
  const { status, body } = await receiveStripeWebhook({
    signature: request.headers.get("stripe-signature"),
    readPayload: () => readBytes(request, MAX_EVENT_BYTES),
  });
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
