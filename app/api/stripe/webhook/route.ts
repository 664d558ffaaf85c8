import { receiveStripeWebhook } from "@/lib/billing/stripe/webhook";

// POST /api/stripe/webhook — Stripe's events: signature verified on the raw body, allowlisted,
// each processed once (lib/billing/stripe/webhook.ts). Not a /v1 route: Stripe authenticates
// with its signature, not an API key, so the `api()` wrapper does not fit.
export async function POST(request: Request): Promise<Response> {
  const { status, body } = await receiveStripeWebhook(request);
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
