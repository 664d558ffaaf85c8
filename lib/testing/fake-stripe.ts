// A fake Stripe API for tests and offline runs: an in-process node:http server on a random port
// that speaks enough of Stripe's documented REST protocol for Easel's calls — customers,
// Checkout Sessions, PaymentIntents (fake-stripe-resources.ts) — with form-encoded bodies,
// `Authorization: Bearer sk_test_…`, Stripe's object and error shapes, and `Idempotency-Key`
// replays. It records every request so that tests can assert on exactly what was sent. Point
// the SDK at it with `env` (lib/billing/stripe/client.ts reads STRIPE_API_HOST/PORT/PROTOCOL).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeForm, type FormObject } from "./form-encoding";
import { createResources, newStripeId, type Reply } from "./fake-stripe-resources";

export { DECLINING_PAYMENT_METHOD } from "./fake-stripe-resources";
export const FAKE_SECRET_KEY = "sk_test_fake_easel";

export type RecordedRequest = {
  method: string;
  path: string;
  authorization: string | null;
  idempotencyKey: string | null;
  /** The form body as sent, one entry per key (`line_items[0][price_data][currency]`). */
  params: Record<string, string>;
  /** The same, nested as Stripe reads it. */
  body: FormObject;
  status: number;
};

const unauthorized: Reply = {
  status: 401,
  body: { error: { type: "invalid_request_error", message: "Invalid API Key provided. Use a secret key: Authorization: Bearer sk_test_…" } },
};

export async function startFakeStripe() {
  let origin = "";
  const resources = createResources(() => origin);
  const idempotent = new Map<string, { request: string; reply: Reply }>();
  const requests: RecordedRequest[] = [];

  function respond(method: string, path: string, authorization: string | null, key: string | null, raw: string): Reply & { replayed?: true } {
    if (!authorization || !/^Bearer sk_test_\S+$/.test(authorization)) return unauthorized;
    // As Stripe: the first answer to a key is replayed; the key with other parameters is an error.
    const request = `${method} ${path} ${raw}`;
    const earlier = key && method === "POST" ? idempotent.get(key) : undefined;
    if (earlier && earlier.request !== request) {
      const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
      return { status: 400, body: { error: { type: "idempotency_error", message } } };
    }
    if (earlier) return { ...earlier.reply, replayed: true };
    const reply = resources.route(method, path, decodeForm(raw));
    if (key && method === "POST") idempotent.set(key, { request, reply });
    return reply;
  }

  async function serve(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(Buffer.from(chunk));
    const raw = Buffer.concat(chunks).toString("utf8");
    const method = request.method ?? "GET";
    const path = new URL(request.url ?? "/", origin).pathname;
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === "string" ? value : null;
    };
    const key = header("idempotency-key");
    let reply: Reply & { replayed?: true };
    try {
      reply = respond(method, path, header("authorization"), key, raw);
    } catch (error) {
      reply = { status: 500, body: { error: { type: "api_error", message: `The fake Stripe server failed: ${String(error)}` } } };
    }
    requests.push({
      method,
      path,
      authorization: header("authorization"),
      idempotencyKey: key,
      params: Object.fromEntries(new URLSearchParams(raw)),
      body: decodeForm(raw),
      status: reply.status,
    });
    response.writeHead(reply.status, {
      "content-type": "application/json",
      "request-id": newStripeId("req"),
      ...(key ? { "idempotency-key": key } : {}),
      ...(reply.replayed ? { "idempotent-replayed": "true" } : {}),
    });
    response.end(JSON.stringify(reply.body));
  }

  const server = createServer((request, response) => void serve(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo; // a TCP listener's address is never a pipe name
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    port,
    /** The environment that points lib/billing/stripe/client.ts at this server. */
    env: { STRIPE_SECRET_KEY: FAKE_SECRET_KEY, STRIPE_API_HOST: "127.0.0.1", STRIPE_API_PORT: String(port), STRIPE_API_PROTOCOL: "http" },
    /** Every request received, in order. */
    requests,
    /** Requests to one method and path, in order. */
    requestsTo: (method: string, path: string) => requests.filter((r) => r.method === method && r.path === path),
    customers: resources.customers,
    sessions: resources.sessions,
    paymentIntents: resources.paymentIntents,
    charges: resources.charges,
    completeCheckoutSession: resources.completeCheckoutSession,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;
