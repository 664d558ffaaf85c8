import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { selectRows, type Transaction } from "@/db/client";
import { apiKeys, jobs } from "@/db/schema";

// A key's spend limit is kept as a count on the key's row — `spent_micros`, what its jobs hold
// and were charged in the period `spend_period_start` — moved with the money: reserved in the
// statement that holds a job's estimate (acceptance.ts), and given back, down to the charge, in
// the transaction that settles the hold (ledger.ts `settleHolds`). Keys are always locked in id
// order and before their account's row, so acceptance and settlement never deadlock.

/** The SQL twin of `periodStart` (periods.ts): when the period of `at` began, for the key's kind. */
export function periodStartSql(period: SQL, at: SQL): SQL {
  return sql`(case ${period} when 'day' then date_trunc('day', ${at}, 'UTC') when 'month' then date_trunc('month', ${at}, 'UTC')
    else 'epoch'::timestamptz end)`;
}

/** What one batch of jobs asks of one key: the sum of their estimates, and when they were made. */
export type KeyDemand = { keyId: string; amountMicros: bigint; at: Date };

/** Sums a batch's estimates per key; jobs of no key (the dashboard's session) ask nothing. */
export function keyDemands(items: ReadonlyArray<{ apiKeyId: string | null; estimatedMicros: bigint; createdAt: Date }>): KeyDemand[] {
  const byKey = new Map<string, KeyDemand>();
  for (const item of items) {
    if (!item.apiKeyId) continue;
    const demand = byKey.get(item.apiKeyId) ?? { keyId: item.apiKeyId, amountMicros: 0n, at: item.createdAt };
    demand.amountMicros += item.estimatedMicros;
    if (item.createdAt > demand.at) demand.at = item.createdAt;
    byKey.set(item.apiKeyId, demand);
  }
  return [...byKey.values()];
}

/**
 * CTEs for a WITH clause before the account's movement: `key_check` locks each limited key of
 * the batch (in id order) and says whether its limit can take the batch's share — computed on
 * the locked row, so concurrent statements on one key see each other's reservations.
 * `keysFit` is the condition for the account's UPDATE: no key is over. `keyReservedCte` then
 * adds the reservations, only if the money moved.
 */
export function keyCheckCtes(demands: readonly KeyDemand[]): SQL {
  const rows = demands.map((d) => sql`(${d.keyId}::text, ${d.amountMicros}::bigint, ${d.at.toISOString()}::timestamptz)`);
  const start = periodStartSql(sql`k.spend_limit_period`, sql`n.at`);
  return sql`key_need (key_id, amount, at) as (values ${sql.join(rows, sql`, `)}),
    key_check as (
      select k.id, n.amount, ${start} as period_start,
             (case when k.spend_period_start >= ${start} then k.spent_micros else 0 end) + n.amount <= k.spend_limit_micros as ok
        from ${apiKeys} k join key_need n on n.key_id = k.id
       where k.spend_limit_micros is not null
       order by k.id
         for update of k)`;
}

export const keysFit = sql`not exists (select 1 from key_check where not ok)`;

/** Adds each limited key's share to its count (starting the count afresh in a new period), if `moved` moved. */
export const keyReservedCte = sql`key_reserved as (
    update ${apiKeys} k
       set spent_micros = case when k.spend_period_start >= c.period_start then k.spent_micros + c.amount else c.amount end,
           spend_period_start = greatest(k.spend_period_start, c.period_start)
      from key_check c cross join moved
     where k.id = c.id and c.ok
       and (case when k.spend_period_start >= c.period_start then k.spent_micros else 0 end) + c.amount <= k.spend_limit_micros
 returning k.id)`;

/**
 * Gives back what settled jobs held beyond their charge to their keys' counts — only to a count
 * still of the period the job was accepted in (a new period started from zero already).
 */
export async function releaseKeySpend(
  tx: Transaction,
  items: ReadonlyArray<{ apiKeyId: string | null; createdAt: Date; releasedMicros: bigint }>,
): Promise<void> {
  const rows = items
    .filter((item) => item.apiKeyId && item.releasedMicros > 0n)
    .map((item) => sql`(${item.apiKeyId}::text, ${item.createdAt.toISOString()}::timestamptz, ${item.releasedMicros}::bigint)`);
  if (rows.length === 0) return;
  await selectRows(
    tx,
    sql`with v (key_id, at, released) as (values ${sql.join(rows, sql`, `)}),
      locked as (
        select k.id, k.spend_limit_period, k.spend_period_start from ${apiKeys} k
         where k.id in (select key_id from v) and k.spend_limit_micros is not null
         order by k.id
           for update of k),
      given as (
        select v.key_id, sum(v.released)::bigint as released
          from v join locked l on l.id = v.key_id
         where l.spend_period_start = ${periodStartSql(sql`l.spend_limit_period`, sql`v.at`)}
         group by v.key_id),
      updated as (
        update ${apiKeys} k set spent_micros = k.spent_micros - g.released from given g where k.id = g.key_id returning k.id)
      select count(*) from updated`,
  );
}

/**
 * Counts the key's spend in the period of `now` afresh from its jobs — held for those not
 * ended, charged for the others — after its limit or period changed. The key's row is locked
 * first, by a statement of its own, so the count's snapshot sees every settlement that
 * committed before, and every later one waits for it.
 */
export async function recountKeySpend(tx: Transaction, input: { keyId: string; periodStart: Date }): Promise<void> {
  await selectRows(tx, sql`select id from ${apiKeys} where id = ${input.keyId} for update`);
  await selectRows(
    tx,
    sql`update ${apiKeys} set spend_period_start = ${input.periodStart.toISOString()}::timestamptz,
          spent_micros = (select coalesce(sum(case when j.status in ('queued', 'processing') then j.estimated_micros
                                               else coalesce(j.charged_micros, 0) end), 0)::bigint
                            from ${jobs} j
                           where j.api_key_id = ${input.keyId} and j.created_at >= ${input.periodStart.toISOString()}::timestamptz)
        where id = ${input.keyId} returning id`,
  );
}
