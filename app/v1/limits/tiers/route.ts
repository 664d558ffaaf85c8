// GET /v1/limits/tiers — the usage-tier matrix, public, cacheable for 300 s
import { tierListSchema } from "@/lib/billing/schemas";
import { TIERS } from "@/lib/billing/tiers";
import { api, reply } from "@/lib/http/api";
import { toUsd } from "@/lib/money";

export const GET = api(
  async () =>
    reply(
      tierListSchema,
      {
        object: "list",
        basis: "lifetime_deposits",
        data: TIERS.map((t) => ({
          tier: t.tier,
          lifetime_deposits: toUsd(t.minDepositsMicros),
          job_creations_per_minute: t.jobCreationsPerMinute,
          reads_per_minute: t.readsPerMinute,
          max_jobs_in_flight: t.maxJobsInFlight,
        })),
      },
      { headers: { "Cache-Control": "public, max-age=300" } },
    ),
  { auth: "none" },
);
