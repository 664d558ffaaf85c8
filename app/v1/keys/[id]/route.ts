// GET /v1/keys/{id} — one key (404 for anyone else's)
// PATCH /v1/keys/{id} — rename it, change its scopes or spend limit (owner's session only)
// DELETE /v1/keys/{id} — revoke it (owner's session only)
import { api, reply } from "@/lib/http/api";
import { readJson } from "@/lib/http/body";
import { getKey, revokeKey, updateKey } from "@/lib/keys/manage";
import { keyJson } from "@/lib/keys/present";
import { parseUpdateKey } from "@/lib/keys/requests";
import { apiKeyDeletedSchema, apiKeySchema } from "@/lib/keys/schemas";

type Params = { id: string };

export const GET = api<Params, "key-or-session">(
  async ({ params, principal }) => reply(apiKeySchema, keyJson(await getKey({ accountId: principal.accountId, keyId: params.id }))),
  { auth: "key-or-session" },
);

export const PATCH = api<Params, "key-or-session">(
  async ({ request, params, principal }) => {
    const changes = parseUpdateKey(await readJson(request));
    return reply(apiKeySchema, keyJson(await updateKey(principal, { keyId: params.id, ...changes })));
  },
  { auth: "key-or-session" },
);

export const DELETE = api<Params, "key-or-session">(
  async ({ params, principal }) => {
    await revokeKey(principal, { keyId: params.id });
    return reply(apiKeyDeletedSchema, { id: params.id, object: "api_key", deleted: true });
  },
  { auth: "key-or-session" },
);
