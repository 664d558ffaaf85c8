// GET /v1/keys — the account's API keys, with their spend against their limits
// POST /v1/keys — create one (owner's session only); its secret is in this answer only
import { api, reply } from "@/lib/http/api";
import { readJson } from "@/lib/http/body";
import { createKey, listKeys } from "@/lib/keys/manage";
import { keyJson } from "@/lib/keys/present";
import { parseCreateKey } from "@/lib/keys/requests";
import { apiKeyListSchema, apiKeyWithSecretSchema } from "@/lib/keys/schemas";

export const GET = api(
  async ({ principal }) => {
    const keys = await listKeys({ accountId: principal.accountId });
    return reply(apiKeyListSchema, { object: "list", data: keys.map((key) => keyJson(key)), has_more: false });
  },
  { auth: "key-or-session" },
);

export const POST = api(
  async ({ request, principal }) => {
    const input = parseCreateKey(await readJson(request));
    const { key, secret } = await createKey(principal, input);
    return reply(apiKeyWithSecretSchema, { ...keyJson(key), secret }, { status: 201, headers: { Location: `/v1/keys/${key.id}` } });
  },
  { auth: "key-or-session" },
);
