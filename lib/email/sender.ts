import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditAccounts, emailOutbox, users, type EmailMessage } from "@/db/schema";
import { logger } from "@/lib/http/logger";
import { OutboxLoop } from "@/lib/server/outbox-loop";
import { defaultOrigin } from "@/lib/webhooks/deliver";
import { renderEmail, type EmailData, type EmailKind } from "./templates";
import { mailSender, type Send } from "./transport";

/** After a failed attempt, the next comes this much later; then the message is given up. */
export const EMAIL_RETRY_SCHEDULE_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];

export type EmailSenderConfig = { concurrency: number; pollMs: number; leaseMs: number; retryScheduleMs: readonly number[] };

const DEFAULTS: EmailSenderConfig = { concurrency: 4, pollMs: 2_000, leaseMs: 60_000, retryScheduleMs: EMAIL_RETRY_SCHEDULE_MS };

/**
 * Sends the email outbox from this process, after the commits that wrote it: claims due messages
 * (SKIP LOCKED and a lease, as webhook deliveries are), renders and sends each, and records it
 * sent, or due again later. Runs beside the webhook deliverer in every worker process.
 */
export class EmailSender {
  readonly id = `eml_${os.hostname()}_${process.pid}_${randomBytes(3).toString("hex")}`;
  private readonly config: EmailSenderConfig;
  private readonly log = logger.child({ email_sender: this.id });
  private readonly loop: OutboxLoop<EmailMessage>;

  constructor(
    config: Partial<EmailSenderConfig> = {},
    private readonly deps: { send?: Send; origin?: string } = {},
  ) {
    this.config = { ...DEFAULTS, ...config };
    this.loop = new OutboxLoop<EmailMessage>(
      { claim: (limit) => this.claim(limit), handle: (message) => this.send(message), idOf: (message) => message.id },
      { concurrency: this.config.concurrency, pollMs: this.config.pollMs, log: this.log, what: "emails" },
    );
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async claim(limit: number): Promise<EmailMessage[]> {
    const db = await getDb();
    const free = or(isNull(emailOutbox.leaseExpiresAt), lt(emailOutbox.leaseExpiresAt, sql`now()`));
    const due = and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, sql`now()`), free);
    const next = db
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(due)
      .orderBy(asc(emailOutbox.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    return db
      .update(emailOutbox)
      .set({ leaseOwner: this.id, leaseExpiresAt: sql`now() + ${this.config.leaseMs}::int * interval '1 millisecond'` })
      .where(and(inArray(emailOutbox.id, next), due))
      .returning();
  }

  private async send(message: EmailMessage): Promise<void> {
    const db = await getDb();
    const [owner] = await db
      .select({ email: users.email })
      .from(creditAccounts)
      .innerJoin(users, eq(users.id, creditAccounts.userId))
      .where(eq(creditAccounts.id, message.accountId));
    let error: string | null = null;
    try {
      if (!owner) throw new Error("The account has no user to write to.");
      const rendered = renderEmail(message.kind as EmailKind, message.data as EmailData[EmailKind], this.deps.origin ?? defaultOrigin());
      await (this.deps.send ?? mailSender())({ to: owner.email, ...rendered });
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const delay = error === null ? null : this.config.retryScheduleMs[message.attempts];
    const status = error === null ? "sent" : delay === undefined ? "failed" : "pending";
    await db
      .update(emailOutbox)
      .set({
        status,
        attempts: sql`${emailOutbox.attempts} + 1`,
        lastError: error,
        sentAt: error === null ? sql`now()` : null,
        nextAttemptAt: delay ? sql`now() + ${delay}::int * interval '1 millisecond'` : sql`${emailOutbox.nextAttemptAt}`,
        leaseOwner: null,
        leaseExpiresAt: null,
      })
      .where(and(eq(emailOutbox.id, message.id), eq(emailOutbox.leaseOwner, this.id)));
    this.log.info({ email_id: message.id, kind: message.kind, status, error }, "email attempt");
  }
}
