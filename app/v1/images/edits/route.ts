// POST /v1/images/edits — as generations, with an input image required
import { api } from "@/lib/http/api";
import { submitJob } from "@/lib/jobs/submit";

export const POST = api(({ request, principal }) => submitJob(request, principal, "edit"), {
  auth: "key-or-session",
  limit: "create",
});
