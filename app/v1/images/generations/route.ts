// POST /v1/images/generations — validate, hold the estimate and queue a job (202)
import { api } from "@/lib/http/api";
import { submitJob } from "@/lib/jobs/submit";

export const POST = api(({ request, principal }) => submitJob(request, principal, "generation"), {
  auth: "key-or-session",
  limit: "create",
});
