// POST /v1/images/edits — as generations, with an input image required
import { api } from "@/lib/http/api";
import { submit } from "../submit";

export const POST = api((context) => submit(context, "edit"), { auth: "key-or-session", limit: "create" });
