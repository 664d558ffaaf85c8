import "server-only";
import { sql } from "drizzle-orm";
import { selectRows, type Transaction } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, webhookEvents, type Job, type JobWebhookFilter } from "@/db/schema";
import { serializeJob } from "@/lib/jobs/serialize";
import { newId } from "@/lib/ids";
import { toUsd } from "@/lib/money";
import { filterOf, jobEventOf, type AnyEventType } from "./events";

// The outbox: an event and its deliveries are written in the transaction of the change they
// report — a job ending, a job starting, a top-up — so that a crash can neither lose an event
// (the change commits with it) nor invent one (it rolls back with it). Deliverers send them
// afterwards (deliver.ts).

export type NewEvent = {
  accountId: string;
  type: AnyEventType;
  data: Record<string, unknown>;
  jobId?: string;
  /** The job's own receiver, if the event is about a job that named one and wants this event. */
  jobUrl?: string | null;
  /** Only this endpoint (a test event), whatever it subscribes to; otherwise every subscriber. */
  onlyEndpointId?: string;
};

/**
 * Writes events, each with one delivery per enabled endpoint of its account subscribed to its
 * type (and one to `jobUrl`), in ONE statement in the caller's transaction. An event nobody
 * receives is not written. Returns the ids of the events written.
 */
export async function recordEvents(tx: Transaction, events: readonly NewEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = events.map((event) => {
    const id = newId("evt");
    return sql`(${id}::text, ${event.accountId}::text, ${event.type}::text, ${event.jobId ?? null}::text,
      ${JSON.stringify(event.data)}::jsonb, ${event.jobUrl ?? null}::text, ${event.onlyEndpointId ?? null}::text)`;
  });
  const written = await selectRows<{ id: string }>(
    tx,
    sql`
    with ev (id, account_id, type, job_id, data, job_url, only_endpoint) as (values ${sql.join(rows, sql`, `)}),
    target as (
      select ev.id as event_id, ev.account_id, e.id as endpoint_id, null::text as url
        from ev join ${webhookEndpoints} e on e.account_id = ev.account_id
       where e.deleted_at is null and e.enabled
         and (case when ev.only_endpoint is null then ev.type = any(e.event_types) else e.id = ev.only_endpoint end)
      union all
      select ev.id, ev.account_id, null, ev.job_url from ev where ev.job_url is not null
    ),
    numbered as (
      select t.*, row_number() over (partition by t.event_id order by t.endpoint_id nulls last) as n from target t
    ),
    written as (
      insert into ${webhookEvents} (id, account_id, type, job_id, data, created_at)
      select ev.id, ev.account_id, ev.type, ev.job_id, ev.data, now()
        from ev where exists (select 1 from target t where t.event_id = ev.id)
      returning id
    ),
    delivered as (
      insert into ${webhookDeliveries} (id, event_id, account_id, endpoint_id, url)
      -- Deliveries sort with their events: the event's time-ordered id, then the target.
      select 'whd_' || substr(n.event_id, 5) || lpad(n.n::text, 3, '0'), n.event_id, n.account_id, n.endpoint_id, n.url
        from numbered n
    )
    select id from written`,
  );
  return written.map((row) => row.id);
}

/**
 * The events of jobs that just reached their status (started, or one of the four endings), as
 * they are now: the job object without its images, whose URLs are signed at each delivery.
 */
export function recordJobEvents(tx: Transaction, jobs: readonly Job[]): Promise<string[]> {
  const events = jobs.flatMap((job): NewEvent[] => {
    const type = jobEventOf(job.status);
    if (!type) return [];
    const wanted = job.webhookUrl !== null && wantsEvent(job.webhookEvents, filterOf(type));
    return [{ accountId: job.accountId, type, jobId: job.id, data: serializeJob(job), jobUrl: wanted ? job.webhookUrl : null }];
  });
  return recordEvents(tx, events);
}

/** No filter means every event of the job. */
const wantsEvent = (filter: JobWebhookFilter[] | null, kind: JobWebhookFilter) => filter === null || filter.includes(kind);

/** A payment was credited: `topup.succeeded` with the amount and the balance after it. */
export function recordTopupEvent(
  tx: Transaction,
  input: { accountId: string; amountMicros: bigint; paymentRef: string; description: string; balanceAfterMicros: bigint; heldAfterMicros: bigint },
): Promise<string[]> {
  return recordEvents(tx, [
    {
      accountId: input.accountId,
      type: "topup.succeeded",
      data: {
        object: "topup",
        amount: toUsd(input.amountMicros),
        payment_ref: input.paymentRef,
        description: input.description,
        balance: balanceData(input.accountId, input.balanceAfterMicros, input.heldAfterMicros),
      },
    },
  ]);
}

/**
 * The account's available credit fell below its low-balance threshold: `balance.low` with the
 * balance and the threshold. Called in the transaction of the charge that crossed it.
 */
export function recordBalanceLowEvent(
  tx: Transaction,
  input: { accountId: string; balanceMicros: bigint; heldMicros: bigint; thresholdMicros: bigint },
): Promise<string[]> {
  return recordEvents(tx, [
    {
      accountId: input.accountId,
      type: "balance.low",
      data: { ...balanceData(input.accountId, input.balanceMicros, input.heldMicros), threshold: toUsd(input.thresholdMicros) },
    },
  ]);
}

function balanceData(accountId: string, balanceMicros: bigint, heldMicros: bigint) {
  return {
    object: "balance",
    account_id: accountId,
    balance: toUsd(balanceMicros),
    held: toUsd(heldMicros),
    available: toUsd(balanceMicros - heldMicros),
  };
}
