// GET /v1/usage?days=30 — spend per day by model, and the balance at the end of each day
import { dailyUsage, usageJson } from "@/lib/billing/usage";
import { api, json } from "@/lib/http/api";
import { invalidRequest } from "@/lib/http/errors";

export const GET = api(
  async ({ request, principal }) => {
    const daysText = new URL(request.url).searchParams.get("days");
    const days = daysText === null ? 30 : Number(daysText);
    if (!Number.isInteger(days) || days < 1 || days > 366) throw invalidRequest("invalid_parameter", "days must be an integer from 1 to 366.", "days");
    return json(usageJson(await dailyUsage({ accountId: principal.accountId, days })));
  },
  { auth: "key-or-session" },
);
