// GET /v1/usage?days=30 — spend per day by model, and the balance at the end of each day
import { usageQuerySchema, usageSchema } from "@/lib/billing/schemas";
import { dailyUsage, usageJson } from "@/lib/billing/usage";
import { api, reply } from "@/lib/http/api";
import { parseQuery } from "@/lib/http/query";

export const GET = api(
  async ({ request, principal }) => {
    const { days } = parseQuery(usageQuerySchema, new URL(request.url));
    return reply(usageSchema, usageJson(await dailyUsage({ accountId: principal.accountId, days })));
  },
  { auth: "key-or-session" },
);
