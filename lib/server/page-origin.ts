import "server-only";
import { headers } from "next/headers";

/** The origin of the page being rendered (EASEL_PUBLIC_URL behind a rewriting proxy). */
export async function pageOrigin(): Promise<string> {
  if (process.env.EASEL_PUBLIC_URL) return new URL(process.env.EASEL_PUBLIC_URL).origin;
  const h = await headers();
  return `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host")}`;
}
