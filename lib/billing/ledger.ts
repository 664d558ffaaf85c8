import "server-only";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { selectRows, type Queryable, type Transaction } from "@/db/client";
import { creditAccounts, holds, ledgerEntries, type LedgerEntryType } from "@/db/schema";
import { InsufficientCredits } from "@/lib/errors";
import { releaseKeySpend } from "@/lib/keys/spend";

// Every movement of money is `movementCtes`: one conditional UPDATE of the account row (which
// takes its row lock) and one ledger entry with the balance and held after it, in ONE SQL
// statement. Nothing else writes balance or held. Being one statement, a movement can be the
// last thing before a commit, or part of a larger statement (accepting a job), so that the
// account's row lock is never held across a round trip to the app.

export type Movement = {
  accountId: string;
  type: LedgerEntryType;
  /** Positive, except for adjustments, which may be negative. */
  amountMicros: bigint;
  jobId?: string;
  paymentRef?: string;
  description?: string;
};

/** How each kind of entry moves balance, held and lifetime deposits. */
function deltas(type: LedgerEntryType, amount: bigint) {
  switch (type) {
    case "topup":
      return { balance: amount, held: 0n, deposits: amount };
    case "adjustment":
      return { balance: amount, held: 0n, deposits: 0n };
    case "hold":
      return { balance: 0n, held: amount, deposits: 0n };
    case "charge":
      return { balance: -amount, held: -amount, deposits: 0n };
    case "release":
      return { balance: 0n, held: -amount, deposits: 0n };
  }
}

/**
 * Movements of one account as two CTEs for a WITH clause: `moved` is the account after them,
 * and `entry` their ledger entries, in order, each with the balance and held after it. Both
 * are empty — nothing changes — when the movements would leave available credit below zero.
 * The condition is evaluated on the locked row, so concurrent holds on one account can never
 * together exceed its balance. Other parts of the statement may select from `moved` to happen
 * only if the money moved. `guard`, if given, is one more condition the movement needs (the
 * jobs' keys have room in their spend limits).
 */
export function movementCtes(movements: readonly Movement[], jobs: InFlightChange = { delta: 0 }, guard?: SQL): SQL {
  const accountId = movements[0]?.accountId;
  if (!accountId || movements.some((m) => m.accountId !== accountId)) {
    throw new Error("Movements of one statement must be for one account");
  }
  const steps = movements.map((movement) => {
    if (movement.type !== "adjustment" && movement.amountMicros < 0n) {
      throw new Error(`A ${movement.type} amount cannot be negative`);
    }
    return { movement, d: deltas(movement.type, movement.amountMicros) };
  });
  const total = steps.reduce(
    (sum, { d }) => ({ balance: sum.balance + d.balance, held: sum.held + d.held, deposits: sum.deposits + d.deposits }),
    { balance: 0n, held: 0n, deposits: 0n },
  );
  // Each entry's "after" is the final state less what the entries after it moved.
  let laterBalance = 0n;
  let laterHeld = 0n;
  const rows: SQL[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const { movement: m, d } = steps[i]!;
    rows[i] = sql`(${i}::int, ${m.type}::ledger_entry_type, ${m.amountMicros}::bigint, ${laterBalance}::bigint, ${laterHeld}::bigint,
      ${m.jobId ?? null}::text, ${m.paymentRef ?? null}::text, ${m.description ?? null}::text)`;
    laterBalance += d.balance;
    laterHeld += d.held;
  }
  return sql`moved as (
      update ${creditAccounts}
         set balance_micros = balance_micros + ${total.balance},
             held_micros = held_micros + ${total.held},
             lifetime_deposits_micros = lifetime_deposits_micros + ${total.deposits},
             jobs_in_flight = jobs_in_flight + ${jobs.delta}::int,
             updated_at = now()
       where id = ${accountId}
         and (balance_micros + ${total.balance}) - (held_micros + ${total.held}) >= 0
         ${jobs.max === undefined ? sql`` : sql`and jobs_in_flight + ${jobs.delta}::int <= ${jobs.max}::int`}
         ${guard ? sql`and ${guard}` : sql``}
   returning balance_micros, held_micros),
    entry as (
      insert into ${ledgerEntries}
             (account_id, type, amount_micros, balance_after_micros, held_after_micros, job_id, payment_ref, description)
      select ${accountId}, e.type, e.amount, moved.balance_micros - e.later_balance, moved.held_micros - e.later_held,
             e.job_id, e.payment_ref, e.description
        from moved
       cross join (values ${sql.join(rows, sql`, `)})
             as e(ord, type, amount, later_balance, later_held, job_id, payment_ref, description)
       order by e.ord
   returning id, balance_after_micros, held_after_micros)`;
}

/**
 * How the account's count of running jobs moves with the money: +1 with a job's hold, −1 with
 * its settlement. `max` refuses the movement (like a shortfall) when it would pass the cap.
 */
export type InFlightChange = { delta: number; max?: number };

export type RecordedEntry = { id: bigint; balanceAfterMicros: bigint; heldAfterMicros: bigint };

/**
 * Applies movements of one account in one statement; their entries in order, or null, changing
 * nothing, when they would leave available credit below zero.
 */
export async function recordMovements(
  tx: Transaction,
  movements: readonly Movement[],
  jobs?: InFlightChange,
): Promise<RecordedEntry[] | null> {
  const rows = await selectRows<{ id: string | bigint; balance_after_micros: string | bigint; held_after_micros: string | bigint }>(
    tx,
    sql`with ${movementCtes(movements, jobs)} select id, balance_after_micros, held_after_micros from entry order by id`,
  );
  if (rows.length === 0) return null;
  return rows.map((row) => ({
    id: BigInt(row.id),
    balanceAfterMicros: BigInt(row.balance_after_micros),
    heldAfterMicros: BigInt(row.held_after_micros),
  }));
}

/** Applies one movement; null, changing nothing, when it would leave available credit below zero. */
export async function recordMovement(tx: Transaction, movement: Movement): Promise<RecordedEntry | null> {
  const entries = await recordMovements(tx, [movement]);
  return entries ? entries[0]! : null;
}

/** The refusal of a request that costs more than the account has available right now. */
export async function insufficientCredits(q: Queryable, input: { accountId: string; requiredMicros: bigint }): Promise<InsufficientCredits> {
  const [account] = await q
    .select({ available: sql<string>`${creditAccounts.balanceMicros} - ${creditAccounts.heldMicros}` })
    .from(creditAccounts)
    .where(eq(creditAccounts.id, input.accountId));
  return new InsufficientCredits(input.requiredMicros, BigInt(account?.available ?? 0));
}

export type Settlement = { chargedMicros: bigint; releasedMicros: bigint };

/**
 * Settles jobs' holds exactly once: for each, charges `chargeMicros` (at most the hold) and
 * releases the rest. A hold already settled is left alone and missing from the answer — the
 * status in the WHERE clause is what makes a second settlement impossible, even under a race.
 * The money moves in one statement per account, so settling many jobs of one account takes its
 * row lock once.
 */
export async function settleHolds(
  tx: Transaction,
  input: ReadonlyArray<{ jobId: string; chargeMicros: bigint; apiKeyId?: string | null; createdAt?: Date }>,
): Promise<Map<string, Settlement>> {
  const settled = new Map<string, Settlement>();
  if (input.length === 0) return settled;
  const rows = await tx
    .update(holds)
    .set({ status: "settled", settledAt: new Date() })
    .where(and(inArray(holds.jobId, input.map((i) => i.jobId)), eq(holds.status, "active")))
    .returning({ jobId: holds.jobId, accountId: holds.accountId, amountMicros: holds.amountMicros });
  const holdOf = new Map(rows.map((row) => [row.jobId, row]));

  // Each settled job ends: one fewer in flight for its account.
  const byAccount = new Map<string, Movement[]>();
  const endedBy = new Map<string, number>();
  for (const { jobId, chargeMicros } of input) {
    const hold = holdOf.get(jobId);
    if (!hold) continue;
    if (chargeMicros < 0n || chargeMicros > hold.amountMicros) {
      throw new Error(`Charge ${chargeMicros} is outside the hold of ${hold.amountMicros} for ${jobId}`);
    }
    const released = hold.amountMicros - chargeMicros;
    const movements = byAccount.get(hold.accountId) ?? [];
    const base = { accountId: hold.accountId, jobId };
    if (chargeMicros > 0n) movements.push({ ...base, type: "charge", amountMicros: chargeMicros });
    if (released > 0n) movements.push({ ...base, type: "release", amountMicros: released });
    byAccount.set(hold.accountId, movements);
    endedBy.set(hold.accountId, (endedBy.get(hold.accountId) ?? 0) + 1);
    settled.set(jobId, { chargedMicros: chargeMicros, releasedMicros: released });
  }
  // The keys' spend counts follow their holds; keys are locked before accounts, as when accepting.
  await releaseKeySpend(
    tx,
    input.flatMap(({ jobId, apiKeyId, createdAt }) => {
      const settlement = settled.get(jobId);
      return settlement && apiKeyId && createdAt ? [{ apiKeyId, createdAt, releasedMicros: settlement.releasedMicros }] : [];
    }),
  );
  // Accounts are locked in one order, so that concurrent settlements never deadlock.
  for (const [accountId, movements] of [...byAccount].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const ended = { delta: -(endedBy.get(accountId) ?? 0) };
    if (!(await recordMovements(tx, movements, ended))) throw new Error(`Settling holds was refused by account ${accountId}`);
  }
  return settled;
}
