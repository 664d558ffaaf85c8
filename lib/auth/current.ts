import "server-only";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { accountOfUser } from "./session";

/**
 * The signed-in user and their account, for dashboard pages and server actions; anyone else is
 * sent to sign-in (proxy.ts does so first, this is the second lock on the door).
 */
export async function currentAccount(): Promise<{ userId: string; accountId: string; email: string; name: string | null }> {
  const session = await auth();
  const userId = session?.user?.id;
  const accountId = userId ? ((await accountOfUser(userId))?.id ?? null) : null;
  if (!userId || !accountId) redirect("/sign-in");
  return { userId, accountId, email: session.user?.email ?? "", name: session.user?.name ?? null };
}
