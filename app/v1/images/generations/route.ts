// POST /v1/images/generations — validate, hold the estimate and queue a job (202)
import { api } from "@/lib/http/api";
import { submit } from "../submit";

export const POST = api((context) => submit(context, "generation"), { auth: "key-or-session", limit: "create" });
