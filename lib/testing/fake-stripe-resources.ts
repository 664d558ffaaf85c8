// The objects of the fake Stripe server (fake-stripe.ts): customers, Checkout Sessions and
// PaymentIntents, made from decoded form parameters with Stripe's shapes, ids and errors.
import { randomBytes } from "node:crypto";
import { formString, type FormObject, type FormValue } from "./form-encoding";

/** Stripe's test payment method that always declines (any other `pm_…` succeeds). */
export const DECLINING_PAYMENT_METHOD = "pm_card_chargeDeclined";

export type StripeObject = { id: string; object: string } & Record<string, unknown>;
export type Reply = { status: number; body: unknown };

/** A refusal in Stripe's error shape: `{"error": {"type", "code"?, "message", "param"?, …}}`. */
export class StripeFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: { type: string; message: string; code?: string; param?: string } & Record<string, unknown>,
  ) {
    super(error.message);
  }
}

export const newStripeId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
const now = () => Math.floor(Date.now() / 1000);

const missing = (param: string) =>
  new StripeFailure(400, { type: "invalid_request_error", code: "parameter_missing", param, message: `Missing required param: ${param}.` });
const noSuch = (what: string, id: string, param?: string) =>
  new StripeFailure(404, { type: "invalid_request_error", code: "resource_missing", param, message: `No such ${what}: '${id}'` });

function integerParam(form: FormValue | undefined, ...path: Array<string | number>): number | undefined {
  const text = formString(form, ...path);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    const param = path.join(".");
    throw new StripeFailure(400, { type: "invalid_request_error", code: "parameter_invalid_integer", param, message: `Invalid integer: ${text}` });
  }
  return Number(text);
}

const objectParam = (form: FormValue | undefined): FormObject => (form && typeof form === "object" && !Array.isArray(form) ? form : {});
const metadataOf = (form: FormValue | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(objectParam(form)).filter((e): e is [string, string] => typeof e[1] === "string"));

export function createResources(origin: () => string) {
  const customers = new Map<string, StripeObject>();
  const sessions = new Map<string, StripeObject>();
  const paymentIntents = new Map<string, StripeObject>();
  const charges = new Map<string, StripeObject>();
  /** What a session's PaymentIntent will carry, once the buyer pays. */
  const intentDataOf = new Map<string, { setupFutureUsage: string | null; metadata: Record<string, string> }>();

  function createCustomer(form: FormObject): StripeObject {
    const customer = {
      id: newStripeId("cus"),
      object: "customer",
      created: now(),
      livemode: false,
      email: formString(form, "email") ?? null,
      name: formString(form, "name") ?? null,
      metadata: metadataOf(form.metadata),
    };
    customers.set(customer.id, customer);
    return customer;
  }

  function createSession(form: FormObject): StripeObject {
    const mode = formString(form, "mode");
    if (!mode) throw missing("mode");
    const items = Array.isArray(form.line_items) ? form.line_items : [];
    if (mode === "payment" && items.length === 0) throw missing("line_items");
    let amount = 0;
    let currency: string | null = null;
    items.forEach((_, i) => {
      const unit = integerParam(form, "line_items", i, "price_data", "unit_amount");
      if (unit === undefined) throw missing(`line_items[${i}][price_data][unit_amount]`);
      currency = formString(form, "line_items", i, "price_data", "currency") ?? null;
      if (!currency) throw missing(`line_items[${i}][price_data][currency]`);
      amount += unit * (integerParam(form, "line_items", i, "quantity") ?? 1);
    });
    const customer = formString(form, "customer") ?? null;
    if (customer && !customers.has(customer)) throw noSuch("customer", customer, "customer");
    const id = newStripeId("cs_test");
    const session = {
      id,
      object: "checkout.session",
      mode,
      status: "open",
      payment_status: "unpaid",
      livemode: false,
      amount_subtotal: amount,
      amount_total: amount,
      currency,
      client_reference_id: formString(form, "client_reference_id") ?? null,
      customer,
      metadata: metadataOf(form.metadata),
      payment_intent: null,
      success_url: formString(form, "success_url") ?? null,
      cancel_url: formString(form, "cancel_url") ?? null,
      url: `${origin()}/c/pay/${id}`,
      created: now(),
      expires_at: now() + 24 * 3600,
    };
    sessions.set(id, session);
    const intentData = objectParam(form.payment_intent_data);
    intentDataOf.set(id, { setupFutureUsage: formString(intentData, "setup_future_usage") ?? null, metadata: metadataOf(intentData.metadata) });
    return session;
  }

  function paymentIntent(fields: Partial<StripeObject> & { amount: number; currency: string }): StripeObject {
    const id = newStripeId("pi");
    const intent = {
      id,
      object: "payment_intent",
      created: now(),
      livemode: false,
      customer: null,
      payment_method: null,
      metadata: {},
      status: "requires_payment_method",
      amount_received: 0,
      capture_method: "automatic",
      confirmation_method: "automatic",
      client_secret: `${id}_secret_${randomBytes(8).toString("hex")}`,
      last_payment_error: null,
      setup_future_usage: null,
      latest_charge: null as string | null,
      ...fields,
    };
    // A payment that went through has its Charge, with the receipt Stripe hosts for it.
    if (intent.status === "succeeded" || intent.status === "processing") {
      const chargeId = newStripeId("ch");
      charges.set(chargeId, {
        id: chargeId,
        object: "charge",
        amount: intent.amount,
        currency: intent.currency,
        payment_intent: id,
        paid: intent.status === "succeeded",
        receipt_url: `https://pay.stripe.com/receipts/payment/${chargeId}`,
      });
      intent.latest_charge = chargeId;
    }
    paymentIntents.set(id, intent);
    return intent;
  }

  function createPaymentIntent(form: FormObject): Reply {
    const amount = integerParam(form, "amount");
    if (amount === undefined) throw missing("amount");
    if (amount < 50) {
      throw new StripeFailure(400, { type: "invalid_request_error", code: "amount_too_small", param: "amount", message: "Amount must be at least $0.50 usd" });
    }
    const currency = formString(form, "currency");
    if (!currency) throw missing("currency");
    const customer = formString(form, "customer") ?? null;
    if (customer && !customers.has(customer)) throw noSuch("customer", customer, "customer");
    const confirm = formString(form, "confirm") === "true";
    if (formString(form, "off_session") === "true" && !confirm) {
      throw new StripeFailure(400, { type: "invalid_request_error", param: "off_session", message: "You may only specify `off_session` when `confirm=true`." });
    }
    const paymentMethod = formString(form, "payment_method") ?? null;
    if (confirm && !paymentMethod) throw missing("payment_method");
    const base = {
      amount,
      currency,
      customer,
      payment_method: paymentMethod,
      metadata: metadataOf(form.metadata),
      description: formString(form, "description") ?? null,
    };
    if (!confirm) return { status: 200, body: paymentIntent(base) };
    if (paymentMethod === DECLINING_PAYMENT_METHOD) {
      // As Stripe: the PaymentIntent exists, awaiting another method, and the error carries it.
      const declined = { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
      const intent = paymentIntent({ ...base, last_payment_error: declined });
      throw new StripeFailure(402, { ...declined, payment_intent: intent });
    }
    return { status: 200, body: paymentIntent({ ...base, status: "succeeded", amount_received: amount }) };
  }

  function found(map: Map<string, StripeObject>, what: string, id: string): Reply {
    const object = map.get(id);
    if (!object) throw noSuch(what, id);
    return { status: 200, body: object };
  }

  /**
   * What a buyer finishing the hosted page does: the session completes, paid (or, for a delayed
   * method, unpaid until later), and its PaymentIntent exists with the payment method used.
   * Returns the session as Stripe's event would carry it.
   */
  function completeCheckoutSession(id: string, options: { paid?: boolean; paymentMethod?: string } = {}): StripeObject {
    const session = sessions.get(id);
    if (!session || typeof session.amount_total !== "number" || typeof session.currency !== "string") {
      throw new Error(`No payable fake checkout session ${id}`);
    }
    const data = intentDataOf.get(id);
    const paid = options.paid ?? true;
    const intent = paymentIntent({
      amount: session.amount_total,
      currency: session.currency,
      customer: session.customer,
      payment_method: options.paymentMethod ?? newStripeId("pm"),
      metadata: data?.metadata ?? {},
      setup_future_usage: data?.setupFutureUsage ?? null,
      status: paid ? "succeeded" : "processing",
      amount_received: paid ? session.amount_total : 0,
    });
    Object.assign(session, { status: "complete", payment_status: paid ? "paid" : "unpaid", payment_intent: intent.id });
    return structuredClone(session);
  }

  const routes: Array<{ method: string; path: RegExp; handle: (match: RegExpExecArray, form: FormObject) => Reply }> = [
    { method: "POST", path: /^\/v1\/customers$/, handle: (_, form) => ({ status: 200, body: createCustomer(form) }) },
    { method: "GET", path: /^\/v1\/customers\/([^/]+)$/, handle: (m) => found(customers, "customer", m[1]!) },
    { method: "POST", path: /^\/v1\/checkout\/sessions$/, handle: (_, form) => ({ status: 200, body: createSession(form) }) },
    { method: "GET", path: /^\/v1\/checkout\/sessions\/([^/]+)$/, handle: (m) => found(sessions, "checkout.session", m[1]!) },
    { method: "POST", path: /^\/v1\/payment_intents$/, handle: (_, form) => createPaymentIntent(form) },
    { method: "GET", path: /^\/v1\/payment_intents\/([^/]+)$/, handle: (m) => found(paymentIntents, "payment_intent", m[1]!) },
    { method: "GET", path: /^\/v1\/charges\/([^/]+)$/, handle: (m) => found(charges, "charge", m[1]!) },
  ];

  /** The answer to one authenticated request, errors in Stripe's shape. */
  function route(method: string, path: string, form: FormObject): Reply {
    try {
      const match = routes.find((r) => r.method === method && r.path.test(path));
      if (!match) throw new StripeFailure(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}).` });
      return match.handle(match.path.exec(path)!, form);
    } catch (error) {
      if (!(error instanceof StripeFailure)) throw error;
      return { status: error.status, body: { error: error.error } };
    }
  }

  return { customers, sessions, paymentIntents, charges, route, completeCheckoutSession };
}
