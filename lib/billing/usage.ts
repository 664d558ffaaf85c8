import "server-only";
import { sql } from "drizzle-orm";
import { getDb, selectRows } from "@/db/client";
import { toUsd } from "@/lib/money";
import type { UsageObject } from "./schemas";

export type { UsageObject };

export type UsageDay = { date: string; spendMicros: Map<string, bigint>; balanceEndMicros: bigint };

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Spend per day by model (the charges) over the last `days` UTC days, and the balance at the end
 * of each day — so the chart shows what was spent and what a top-up did.
 */
export async function dailyUsage(input: { accountId: string; days: number; now?: Date }): Promise<UsageDay[]> {
  const now = input.now ?? new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (input.days - 1)));
  const db = await getDb();

  const spend = await selectRows<{ day: string; model: string; micros: string }>(
    db,
    sql`select to_char(le.created_at at time zone 'UTC', 'YYYY-MM-DD') as day, j.model, sum(le.amount_micros)::text as micros
          from ledger_entries le join jobs j on j.id = le.job_id
         where le.account_id = ${input.accountId} and le.type = 'charge' and le.created_at >= ${start.toISOString()}::timestamptz
         group by 1, 2`,
  );
  const closing = await selectRows<{ day: string; balance: string }>(
    db,
    sql`select distinct on (day) day, balance::text from (
          select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, balance_after_micros as balance, id
            from ledger_entries where account_id = ${input.accountId} and created_at >= ${start.toISOString()}::timestamptz) e
         order by day, id desc`,
  );
  const [opening] = await selectRows<{ balance: string }>(
    db,
    sql`select balance_after_micros::text as balance from ledger_entries
         where account_id = ${input.accountId} and created_at < ${start.toISOString()}::timestamptz order by id desc limit 1`,
  );

  const closingOf = new Map(closing.map((row) => [row.day, BigInt(row.balance)]));
  let balance = BigInt(opening?.balance ?? 0);
  const result: UsageDay[] = [];
  for (let i = 0; i < input.days; i++) {
    const date = dayOf(new Date(start.getTime() + i * 86_400_000));
    balance = closingOf.get(date) ?? balance;
    const spendMicros = new Map(spend.filter((row) => row.day === date).map((row) => [row.model, BigInt(row.micros)]));
    result.push({ date, spendMicros, balanceEndMicros: balance });
  }
  return result;
}

/** GET /v1/usage's shape. */
export function usageJson(days: UsageDay[]): UsageObject {
  return {
    object: "usage",
    currency: "usd",
    days: days.map((day) => ({
      date: day.date,
      spend: Object.fromEntries([...day.spendMicros].map(([model, micros]) => [model, toUsd(micros)])),
      spend_total: toUsd([...day.spendMicros.values()].reduce((sum, micros) => sum + micros, 0n)),
      balance_end: toUsd(day.balanceEndMicros),
    })),
  };
}
