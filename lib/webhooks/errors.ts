// What can go wrong with webhooks, in the product's terms (lib/errors.ts). Pure.
import { DomainError, NotFound } from "@/lib/errors";

/** The endpoint or delivery is in a state that does not allow this now (disabled, deleted, at the cap). */
export class WebhookConflict extends DomainError {}

export const endpointNotFound = () => new NotFound("webhook_endpoint_not_found", "No webhook endpoint with that id exists on this account.", "id");

export const deliveryNotFound = () => new NotFound("webhook_delivery_not_found", "No webhook delivery with that id exists on this account.", "id");
