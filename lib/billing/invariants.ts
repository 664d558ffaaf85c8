import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, selectRows, type Transaction } from "@/db/client";

// Every invariant of docs/product-rules.md ("Money"), as queries that return the rows breaking it. Run in one
// repeatable-read snapshot, so a check made while other transactions commit sees one instant.
// Sums are taken per account or per job (lateral, by index), so a check of one account reads that
// account's rows only, however large the ledger — never an aggregate of the whole table.
// Tests call `assertLedgerInvariants` after every scenario; operators can run it any time.

type Violation = { invariant: string; subject: string; detail: string };

function checks(accountScope: SQL, jobScope: SQL, entryScope: SQL, keyScope: SQL): Array<{ invariant: string; query: SQL }> {
  return [
    {
      invariant: "held >= 0 and available >= 0",
      query: sql`select id as subject, 'balance ' || balance_micros || ', held ' || held_micros as detail
        from credit_accounts a where (held_micros < 0 or balance_micros - held_micros < 0) ${accountScope}`,
    },
    {
      invariant: "balance = Σ topups + Σ adjustments − Σ charges; lifetime deposits = Σ topups",
      query: sql`select a.id as subject,
          'balance ' || a.balance_micros || ' vs ledger ' || coalesce(l.balance, 0) ||
          ', deposits ' || a.lifetime_deposits_micros || ' vs ledger ' || coalesce(l.deposits, 0) as detail
        from credit_accounts a
        left join lateral (select
            sum(case when type in ('topup', 'adjustment') then amount_micros when type = 'charge' then -amount_micros else 0 end) as balance,
            sum(case when type = 'topup' then amount_micros else 0 end) as deposits
          from ledger_entries where account_id = a.id) l on true
        where (a.balance_micros <> coalesce(l.balance, 0) or a.lifetime_deposits_micros <> coalesce(l.deposits, 0)) ${accountScope}`,
    },
    {
      invariant: "held = Σ active holds = Σ holds − Σ charges − Σ releases",
      query: sql`select a.id as subject,
          'held ' || a.held_micros || ', active holds ' || coalesce(h.active, 0) || ', ledger ' || coalesce(l.held, 0) as detail
        from credit_accounts a
        left join lateral (select sum(amount_micros) as active from holds where account_id = a.id and status = 'active') h on true
        left join lateral (select
            sum(case type when 'hold' then amount_micros when 'charge' then -amount_micros when 'release' then -amount_micros else 0 end) as held
          from ledger_entries where account_id = a.id) l on true
        where (a.held_micros <> coalesce(h.active, 0) or a.held_micros <> coalesce(l.held, 0)) ${accountScope}`,
    },
    {
      invariant: "each entry's balance and held after follow from the previous entry",
      query: sql`select 'ledger entry ' || id as subject,
          'after ' || balance_after_micros || '/' || held_after_micros || ', expected ' || expected_balance || '/' || expected_held as detail
        from (select id, balance_after_micros, held_after_micros,
            coalesce(lag(balance_after_micros) over w, 0) +
              case when type in ('topup', 'adjustment') then amount_micros when type = 'charge' then -amount_micros else 0 end as expected_balance,
            coalesce(lag(held_after_micros) over w, 0) +
              case type when 'hold' then amount_micros when 'charge' then -amount_micros when 'release' then -amount_micros else 0 end as expected_held
          from ledger_entries where true ${entryScope}
          window w as (partition by account_id order by id)) e
        where balance_after_micros <> expected_balance or held_after_micros <> expected_held`,
    },
    {
      invariant: "after every entry, held >= 0 and available >= 0",
      query: sql`select 'ledger entry ' || id as subject, 'after ' || balance_after_micros || '/' || held_after_micros as detail
        from ledger_entries where (held_after_micros < 0 or balance_after_micros - held_after_micros < 0) ${entryScope}`,
    },
    {
      invariant: "the last ledger entry shows the account's balance and held",
      query: sql`select a.id as subject, 'account ' || a.balance_micros || '/' || a.held_micros ||
          ', last entry ' || coalesce(e.balance_after_micros, 0) || '/' || coalesce(e.held_after_micros, 0) as detail
        from credit_accounts a
        left join lateral (select balance_after_micros, held_after_micros from ledger_entries
          where account_id = a.id order by id desc limit 1) e on true
        where (a.balance_micros <> coalesce(e.balance_after_micros, 0) or a.held_micros <> coalesce(e.held_after_micros, 0)) ${accountScope}`,
    },
    {
      invariant: "jobs in flight = the account's queued and processing jobs",
      query: sql`select a.id as subject, 'jobs_in_flight ' || a.jobs_in_flight || ', active jobs ' || coalesce(j.active, 0) as detail
        from credit_accounts a
        left join lateral (select count(*) as active from jobs where account_id = a.id and status in ('queued', 'processing')) j on true
        where a.jobs_in_flight <> coalesce(j.active, 0) ${accountScope}`,
    },
    {
      invariant: "a job has one hold of its estimate, active exactly while the job is queued or processing",
      query: sql`select j.id as subject, 'status ' || j.status || ', hold ' || coalesce(h.status::text, 'missing') ||
          ' ' || coalesce(h.amount_micros, 0) || ' of estimate ' || j.estimated_micros as detail
        from jobs j left join holds h on h.job_id = j.id
        where (h.id is null or h.amount_micros <> j.estimated_micros
          or (h.status = 'active') <> (j.status in ('queued', 'processing'))) ${jobScope}`,
    },
    {
      invariant: "a settled hold is exactly charged plus released; an active one neither",
      query: sql`select h.job_id as subject, h.status || ' hold ' || h.amount_micros || ': charged ' ||
          coalesce(l.charged, 0) || ', released ' || coalesce(l.released, 0) as detail
        from holds h
        join jobs j on j.id = h.job_id
        left join lateral (select
            sum(case when type = 'charge' then amount_micros else 0 end) as charged,
            sum(case when type = 'release' then amount_micros else 0 end) as released
          from ledger_entries where job_id = h.job_id) l on true
        where (case when h.status = 'settled' then coalesce(l.charged, 0) + coalesce(l.released, 0) <> h.amount_micros
          else coalesce(l.charged, 0) + coalesce(l.released, 0) <> 0 end) ${jobScope}`,
    },
    {
      invariant: "a terminal job's charged amount is its ledger charge, at most its estimate, and 0 unless it succeeded",
      query: sql`select j.id as subject, 'status ' || j.status || ', charged ' || coalesce(j.charged_micros::text, 'null') ||
          ', ledger ' || coalesce(l.charged, 0) || ', estimate ' || j.estimated_micros as detail
        from jobs j
        left join lateral (select sum(amount_micros) as charged from ledger_entries where job_id = j.id and type = 'charge') l on true
        where ((j.status in ('queued', 'processing')) <> (j.charged_micros is null)
          or coalesce(j.charged_micros, 0) <> coalesce(l.charged, 0)
          or coalesce(j.charged_micros, 0) > j.estimated_micros
          or (j.status <> 'succeeded' and coalesce(j.charged_micros, 0) <> 0)) ${jobScope}`,
    },
    {
      invariant: "a limited key's spend count = what its jobs of the current period hold or were charged",
      query: sql`select k.id as subject, 'spent ' || k.spent_micros || ', jobs ' || coalesce(j.spent, 0) as detail
        from api_keys k
        left join lateral (select sum(case when status in ('queued', 'processing') then estimated_micros
                                      else coalesce(charged_micros, 0) end) as spent
            from jobs where api_key_id = k.id and created_at >= k.spend_period_start) j on true
        where k.spend_limit_micros is not null and k.spend_period_start is not null
          and k.spent_micros <> coalesce(j.spent, 0) ${keyScope}`,
    },
  ];
}

/**
 * Every broken invariant, for one account or (without `accountId`) the whole database. Inside
 * `outer` it checks what that transaction sees, uncommitted changes included.
 */
export async function checkLedgerInvariants(input: { accountId?: string } = {}, outer?: Transaction): Promise<Violation[]> {
  const accountScope = input.accountId ? sql`and a.id = ${input.accountId}` : sql``;
  const jobScope = input.accountId ? sql`and j.account_id = ${input.accountId}` : sql``;
  const entryScope = input.accountId ? sql`and account_id = ${input.accountId}` : sql``;
  const keyScope = input.accountId ? sql`and k.account_id = ${input.accountId}` : sql``;
  const run = async (tx: Transaction) => {
    const violations: Violation[] = [];
    for (const check of checks(accountScope, jobScope, entryScope, keyScope)) {
      const rows = await selectRows<{ subject: string; detail: string }>(tx, check.query);
      for (const row of rows) violations.push({ invariant: check.invariant, subject: row.subject, detail: row.detail });
    }
    return violations;
  };
  if (outer) return run(outer);
  const db = await getDb();
  return db.transaction(run, { isolationLevel: "repeatable read", accessMode: "read only" });
}

export async function assertLedgerInvariants(input: { accountId?: string } = {}): Promise<void> {
  const violations = await checkLedgerInvariants(input);
  if (violations.length > 0) {
    const lines = violations.slice(0, 20).map((v) => `- ${v.invariant}: ${v.subject} (${v.detail})`);
    throw new Error(`Ledger invariants broken (${violations.length}):\n${lines.join("\n")}`);
  }
}
