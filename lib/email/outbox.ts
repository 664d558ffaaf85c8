import "server-only";
import type { Queryable } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { newId } from "@/lib/ids";
import type { EmailData, EmailKind } from "./templates";

// The email outbox: a message is written in the transaction of what it tells — a sign-up, a
// top-up, a charge that crossed the low-balance threshold, a refused auto top-up — and sent
// after the commit by a sender (sender.ts), never by the transaction itself: a slow or broken
// mail server can neither hold a money transaction open nor roll it back.

export async function queueEmail<K extends EmailKind>(q: Queryable, input: { accountId: string; kind: K; data: EmailData[K] }): Promise<void> {
  await q.insert(emailOutbox).values({ id: newId("eml"), accountId: input.accountId, kind: input.kind, data: input.data });
}
