import "server-only";
import Stripe from "stripe";
import { NotConfigured } from "@/lib/errors";

// The one Stripe client. Made on first use, never at import: Easel runs without Stripe (test
// credit, the CLI's deposits), and `next build` imports this file with no secrets set.
// STRIPE_API_HOST/PORT/PROTOCOL point it at another server — the tests' fake Stripe
// (lib/testing/fake-stripe.ts) or a local mock — so nothing under test ever reaches Stripe.

/** True when card payments can be taken: STRIPE_SECRET_KEY is set. */
export function stripeConfigured(): boolean {
  return Boolean(process.env.STRIPE_SECRET_KEY);
}

let cached: { settings: string; client: Stripe } | undefined;

/** The client for the current settings; a 503 when Stripe is not configured. */
export function stripeClient(): Stripe {
  const key = process.env.STRIPE_SECRET_KEY;
  if (!key) {
    throw new NotConfigured("payments_not_configured", "Card payments are not set up on this server (STRIPE_SECRET_KEY is unset).");
  }
  const host = process.env.STRIPE_API_HOST || undefined;
  const port = process.env.STRIPE_API_PORT || undefined;
  const protocol = apiProtocol(process.env.STRIPE_API_PROTOCOL);
  // Keyed by the settings, so that a test (or an operator's rotated key) gets a client for them.
  const settings = JSON.stringify([key, host, port, protocol]);
  if (cached?.settings !== settings) {
    cached = {
      settings,
      client: new Stripe(key, {
        host,
        port,
        protocol,
        // Stripe's advice: retry network failures; the SDK reuses one idempotency key per call.
        maxNetworkRetries: 2,
        timeout: 20_000,
        appInfo: { name: "Easel" },
      }),
    };
  }
  return cached.client;
}

function apiProtocol(value: string | undefined): "http" | "https" | undefined {
  if (value === undefined || value === "") return undefined;
  if (value === "http" || value === "https") return value;
  throw new Error(`STRIPE_API_PROTOCOL must be "http" or "https", not "${value}"`);
}

/** A request Stripe answered with a refusal (4xx): it changed nothing and will not change by retrying. */
export function isStripeRefusal(error: unknown): error is Stripe.errors.StripeError {
  return error instanceof Stripe.errors.StripeError && typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500;
}
