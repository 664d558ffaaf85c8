// Auth.js: sign-in, sign-out, OAuth callbacks and the session endpoint
import { handlers } from "@/auth";

export const { GET, POST } = handlers;
